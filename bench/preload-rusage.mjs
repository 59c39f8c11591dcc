// Preloaded with `node --import`: at exit, writes the process's peak RSS and CPU time as JSON to $BENCH_RUSAGE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // maxRSS is in KiB; CPU times in µs.
    const data = {
      maxRssKiB: usage.maxRSS,
      userMs: usage.userCPUTime / 1000,
      systemMs: usage.systemCPUTime / 1000,
    };
    writeFileSync(file, JSON.stringify(data));
  });
}

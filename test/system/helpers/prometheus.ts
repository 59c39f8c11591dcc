// Debian's Prometheus for a test: started on a free loopback port with the test's config, asked through its HTTP API.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon } from './daemon-process.js';
import { freePort, withFreshPorts } from './free-port.js';
import { privateTempDir, type Teardown } from './teardown.js';

export interface Prometheus {
  url: string;
  /** `GET /api/v1/query`: each result's labels and value. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /**
   * Queries until every result satisfies `done` and there is at least one, or fails after `timeoutMs` with the last
   * answer: Prometheus scrapes on its own schedule, so the test waits for the sample, bounded, never for a time.
   */
  waitFor(
    promql: string,
    done: (value: number) => boolean,
    timeoutMs?: number,
  ): Promise<Array<{ metric: Record<string, string>; value: number }>>;
}

/** Starts `prometheus` with `config` (YAML text); it is stopped and its storage removed when the test ends. */
export async function startPrometheus(t: Teardown, config: string): Promise<Prometheus> {
  const dir = privateTempDir(t);
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = await withFreshPorts(async () => {
    const port = await freePort();
    // Exiting before it is ready rejects with its output, "address already in use" included: withFreshPorts retries.
    await startDaemon(
      t,
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      /Server is ready to receive web requests/,
    );
    return port;
  });
  const url = `http://127.0.0.1:${port}`;
  const query = async (promql: string) => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
    return body.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return {
    url,
    query,
    waitFor: async (promql, done, timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      let last: Awaited<ReturnType<typeof query>> = [];
      while (Date.now() < until) {
        last = await query(promql);
        if (last.length > 0 && last.every((r) => done(r.value))) return last;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(
        `${promql} never satisfied the test within ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`,
      );
    },
  };
}

// Preloaded into the exporter by bench/serve-exporter.ts (with --expose-gc): SIGUSR2 runs a full garbage collection
// and says so on stderr, so the benchmark reads memory that is alive, not garbage a collection has yet to free.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stderr.write('bench: gc done\n');
});

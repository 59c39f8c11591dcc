// Preloaded with `node --import` into a child mqttprobe: prints the process's peak memory to stderr as it exits.
process.on('exit', () => {
  // resourceUsage().maxRSS is in kilobytes.
  process.stderr.write(`\nmqttprobe-max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});

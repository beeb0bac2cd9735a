// Preloaded (`--import`) into every process the runner spawns, ours or not: when the runner's IPC
// channel closes (it exited, even by SIGKILL), this process exits too, so nothing outlives a run.
if (process.channel) {
  process.channel.unref();
  process.on('disconnect', () => process.exit(0));
}

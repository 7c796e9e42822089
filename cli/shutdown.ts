/**
 * Runs `stop` once, on the first SIGINT or SIGTERM or when the returned
 * function is called (a duration ran out, stdout's reader went away), then
 * exits 0. A second signal while stopping exits at once with 130, for a
 * person pressing Ctrl+C twice.
 */
export function onShutdown(stop: (why: string) => Promise<void>): (why: string) => void {
  let stopping = false;
  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    stop(why).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    shutdown(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return shutdown;
}

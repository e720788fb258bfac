import type { INestApplicationContext } from '@nestjs/common';

/**
 * Graceful shutdown: on SIGTERM/SIGINT stop taking work, let Nest's shutdown hooks drain in-flight
 * work (HTTP server close, workers finishing their current job, subscriptions committing their
 * batch), and exit non-zero if draining exceeds the budget.
 */
export function installGracefulShutdown(
  app: INestApplicationContext,
  timeoutMs: number,
  log: (msg: string) => void,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    log(`received ${signal}, draining (budget ${timeoutMs} ms)`);
    const timer = setTimeout(() => {
      log('shutdown budget exceeded, exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        log(`shutdown failed: ${String(e)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

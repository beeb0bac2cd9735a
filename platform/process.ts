/** Starts a service and closes it cleanly on SIGINT/SIGTERM; a failed start exits non-zero. */
export function runUntilSignalled(start: () => Promise<{ close(): Promise<void> }>): void {
  start().then(
    (service) => {
      const stop = () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`failed to start: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}

/**
 * Clean-ups registered as the run goes (the test helpers in test/infra expect a `t.after`), run in
 * reverse order once at the end, whatever happened.
 */
export function cleanupScope() {
  const cleanups: (() => Promise<void> | void)[] = [];
  return {
    after(fn: () => Promise<void> | void) {
      cleanups.unshift(fn);
    },
    async close() {
      for (const cleanup of cleanups.splice(0)) {
        try {
          await cleanup();
        } catch (error) {
          process.stderr.write(`clean-up failed: ${(error as Error).message}\n`);
        }
      }
    },
  };
}

export type CleanupScope = ReturnType<typeof cleanupScope>;

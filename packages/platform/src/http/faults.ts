import type { HttpApp } from './server.ts';

export type FaultMode = { kind: 'none' } | { kind: 'down' } | { kind: 'failing' } | { kind: 'slow'; delayMs: number };

export type FaultSwitch = { readonly mode: FaultMode; set(mode: FaultMode): void };

/**
 * Embedded mode's way to break a service on purpose, for learning and for tests: "down" drops the
 * connection the way a dead process does, "failing" answers 500, "slow" delays every answer.
 * Health endpoints are left alone so the system can still be observed.
 */
export function installFaultSwitch(app: HttpApp): FaultSwitch {
  let mode: FaultMode = { kind: 'none' };
  app.addHook('onRequest', async (request, reply) => {
    if (mode.kind === 'none' || request.url.startsWith('/health')) return;
    if (mode.kind === 'down') {
      request.raw.socket.destroy();
      return reply.hijack();
    }
    if (mode.kind === 'failing') {
      return reply.status(500).type('application/problem+json').send({ status: 500, title: 'Injected failure' });
    }
  });
  // Slow answers are delayed after the body was read, so a caller that gave up still gets its
  // request carried out, as with a real slow server.
  app.addHook('preHandler', async (request) => {
    if (mode.kind !== 'slow' || request.url.startsWith('/health')) return;
    await new Promise((resolve) => setTimeout(resolve, mode.kind === 'slow' ? mode.delayMs : 0));
  });
  return {
    get mode() {
      return mode;
    },
    set(next) {
      mode = next;
    },
  };
}

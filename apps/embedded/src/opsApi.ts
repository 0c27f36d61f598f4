import { PassThrough } from 'node:stream';
import type { EdgeRouteConfig } from '@12street/gateway';
import { type FaultMode, HttpProblem } from '@12street/platform';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { OpsOverviewReader, OpsSystemParts } from './opsOverview.ts';

const OPS_ONLY: EdgeRouteConfig = { access: ['ops'] };

const FaultParams = Type.Object({ service: Type.String({ maxLength: 50 }) }, { additionalProperties: false });
const FaultBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('down'), Type.Literal('failing'), Type.Literal('slow')]),
    /** Only for "slow": how long every answer is held back. */
    delayMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
  },
  { additionalProperties: false },
);

export type OpsStreamSettings = { checkEveryMs?: number; heartbeatMs?: number; maxStreamMs?: number };

const DEFAULT_SLOW_MS = 2000;

/**
 * Embedded mode's ops API, served by the gateway behind its checks for the ops role:
 * `GET /ops/overview` (and `/ops/overview/stream`, the same as server-sent events whenever it
 * changes) and `PUT /ops/faults/{service}` to break a service on purpose and learn the patterns.
 * Distributed mode has neither: its services are separate processes with no switches to flip.
 */
export function opsApi(
  edge: FastifyInstance,
  parts: OpsSystemParts,
  overview: OpsOverviewReader,
  settings: OpsStreamSettings = {},
) {
  const app = edge.withTypeProvider<TypeBoxTypeProvider>();
  const checkEveryMs = settings.checkEveryMs ?? 1000;
  const heartbeatMs = settings.heartbeatMs ?? 5000;
  const maxStreamMs = settings.maxStreamMs ?? 5 * 60_000;

  app.get('/ops/overview', { config: OPS_ONLY }, async () => overview.read());

  app.put(
    '/ops/faults/:service',
    { config: OPS_ONLY, schema: { params: FaultParams, body: FaultBody } },
    async (request) => {
      const { service } = request.params;
      const fault = parts.faults[service];
      if (!fault) {
        const known = Object.keys(parts.faults).join(', ');
        throw new HttpProblem(404, 'Not Found', `no fault switch for "${service}"; there is one for ${known}`);
      }
      const { kind, delayMs } = request.body;
      const mode: FaultMode = kind === 'slow' ? { kind, delayMs: delayMs ?? DEFAULT_SLOW_MS } : { kind };
      fault.set(mode);
      request.log.warn({ service, fault: mode }, 'fault switch set');
      overview.changed();
      return { service, fault: mode };
    },
  );

  app.get('/ops/overview/stream', { config: OPS_ONLY }, async (request, reply) => {
    const stream = new PassThrough();
    const openedAt = Date.now();
    let last = '';
    let lastWrite = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let again = false;
    let closed = false;
    const write = (text: string) => {
      stream.write(text);
      lastWrite = Date.now();
    };
    // One read at a time; a change announced during a read is read again right after it.
    const check = async () => {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      running = true;
      try {
        const json = JSON.stringify(await overview.read());
        if (json !== last) write(`event: overview\ndata: ${json}\n\n`);
        last = json;
        if (Date.now() - lastWrite >= heartbeatMs) write(': keep-alive\n\n');
      } catch (error) {
        request.log.warn({ err: error }, 'ops overview could not be read');
      } finally {
        running = false;
      }
      if (closed) return;
      if (Date.now() - openedAt >= maxStreamMs) return void stream.end();
      if (again) {
        again = false;
        return void check();
      }
      timer = setTimeout(check, checkEveryMs);
    };
    const unsubscribe = overview.onChange(() => void check());
    const close = () => {
      closed = true;
      clearTimeout(timer);
      unsubscribe();
    };
    stream.once('close', close);
    reply.raw.once('close', () => {
      close();
      stream.destroy();
    });
    reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-accel-buffering', 'no');
    write('retry: 2000\n\n');
    void check();
    return reply.send(stream);
  });
}

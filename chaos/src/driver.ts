import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, ServiceName } from '@12street/cluster';
import type { Random } from './random.ts';
import type { SlowProxy } from './slowProxy.ts';

export const VICTIMS: readonly ServiceName[] = ['order', 'payment', 'delivery', 'marketing', 'order-status', 'gateway'];
const SLOW_PAYMENT_MS = 15_000;

type Fault = { kind: 'kill'; service: ServiceName } | { kind: 'broker' } | { kind: 'slow-payment' };
export type FaultKind = Fault['kind'];
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'broker', 'slow-payment'];
export type FaultRecord = { at: number; what: string; tookMs: number };

/**
 * The chaos: every service is killed with SIGKILL at least once (then restarted after a short
 * outage), the Kafka broker restarts once, and payment turns slow for a while, in a random order;
 * then random kills go on until the customers are done. One fault at a time, each one undone
 * before the next, so every restart has the rest of the system to come back to.
 */
export function startChaos(options: {
  cluster: Cluster;
  broker: { stop(): Promise<void>; start(): Promise<void> };
  payment: SlowProxy;
  random: Random;
  customersDone: () => boolean;
  log: (line: string) => void;
  /** The run's start, which fault times count from. */
  startedAt: number;
  /** Which kinds of fault to inject (all of them unless a run narrows it down to reproduce one). */
  kinds: readonly FaultKind[];
}) {
  const { cluster, random, log, startedAt } = options;
  const record: FaultRecord[] = [];

  const restart = async (service: ServiceName) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await cluster.start(service);
      } catch (error) {
        if (attempt === 3) throw error;
        log(`chaos: ${service} did not come back (${(error as Error).message}); trying again`);
      }
    }
  };

  const perform = async (fault: Fault) => {
    const began = Date.now();
    let what: string;
    if (fault.kind === 'kill') {
      const pid = cluster.running.get(fault.service)?.child.pid;
      await cluster.kill(fault.service);
      const outageMs = random.between(500, 3000);
      await sleep(outageMs);
      await restart(fault.service);
      what = `kill -9 ${fault.service} (pid ${pid}), down ${outageMs} ms, restarted`;
    } else if (fault.kind === 'broker') {
      await options.broker.stop();
      const outageMs = random.between(2000, 5000);
      await sleep(outageMs);
      await options.broker.start();
      what = `Kafka broker stopped, down ${outageMs} ms after stopping, restarted`;
    } else {
      options.payment.slowDown(() => random.between(200, 1500));
      await sleep(SLOW_PAYMENT_MS);
      options.payment.slowDown(() => 0);
      what = `payment slow (answers held 200–1500 ms) for ${SLOW_PAYMENT_MS / 1000} s`;
    }
    const tookMs = Date.now() - began;
    record.push({ at: began - startedAt, what, tookMs });
    log(`chaos: t+${((began - startedAt) / 1000).toFixed(1)}s ${what} (${(tookMs / 1000).toFixed(1)} s)`);
  };

  const run = async () => {
    await sleep(3000);
    const planned: Fault[] = random
      .shuffle([
        ...VICTIMS.map((service): Fault => ({ kind: 'kill', service })),
        { kind: 'broker' } as const,
        { kind: 'slow-payment' } as const,
      ])
      .filter((fault) => options.kinds.includes(fault.kind));
    for (const fault of planned) {
      await perform(fault);
      await sleep(random.between(1000, 3000));
    }
    while (!options.customersDone()) {
      if (options.kinds.includes('kill')) await perform({ kind: 'kill', service: random.pick(VICTIMS) });
      await sleep(random.between(2000, 5000));
    }
  };
  return { record, finished: run() };
}

import type { ChildProcess } from 'node:child_process';
import type { StepCounts } from './load/mix.ts';
import type { Journey } from './load/openLoop.ts';
import type { Progress } from './progress.ts';
import { type SagaLatency, sagaLatencies } from './saga.ts';
import { runScript } from './support/children.ts';
import { quiesce, sampleUsage, type Usage, type Watched } from './support/procStats.ts';
import type { Percentiles } from './support/stats.ts';
import type { SystemUnderTest } from './sut/system.ts';

export const LOAD_SHARES = [0.25, 0.5, 0.75] as const;
const IDLE_SECONDS = 3;

type Latency = { p50: number; p90: number; p99: number; max: number };
export type ClosedLoopResult = {
  placedPerSecond: number;
  requestsPerSecond: number;
  latencyMs: Latency;
  errors: number;
  timeouts: number;
  counts: StepCounts;
};
type OpenLoopResult = {
  offeredPerSecond: number;
  placedPerSecond: number;
  placeLatencyMs: Percentiles;
  senderLatenessMaxMs: number;
  dropped: number;
  unfinished: number;
  counts: StepCounts;
  journeys: Journey[];
};
type BaselineResult = { requestsPerSecond: number; latencyMs: Latency; non2xx: number; errors: number };

export type RepeatResult = {
  saturation: Omit<ClosedLoopResult, 'counts'> & { counts: StepCounts; connections: number };
  open: (Omit<OpenLoopResult, 'journeys'> & { share: number; saga: { placed: SagaLatency; canceled: SagaLatency } })[];
  baseline: BaselineResult;
  usage: { idle: Usage[]; load: Usage[]; baseline: Usage[] };
  drainMs: number[];
  startupMs: Record<string, number>;
};

export type RepeatSettings = { seconds: number; connections: number; baseline: { url: string; watched: Watched[] } };

const CLOSED_LOOP = new URL('./load/closedLoop.ts', import.meta.url);
const OPEN_LOOP = new URL('./load/openLoop.ts', import.meta.url);
const BASELINE_LOOP = new URL('./load/baselineLoop.ts', import.meta.url);

/** The load generator's own process, watched beside the system so its share of the machine shows. */
function generatorWatch() {
  let child: ChildProcess | undefined;
  return {
    onStart: (started: ChildProcess) => {
      child = started;
    },
    watched: { name: 'load generator', pids: () => (child?.pid ? [child.pid] : []) } satisfies Watched,
  };
}

/** One measurement of everything, on a running system; repeats are taken one after another. */
export async function measureOnce(
  sut: SystemUnderTest,
  settings: RepeatSettings,
  bar: Progress,
): Promise<RepeatResult> {
  const { seconds, connections } = settings;
  const watched = sut.watched();
  const services = watched.filter((w) => !w.infra);
  const load = async <Result>(script: URL, config: object, generator = generatorWatch(), url = sut.gatewayUrl) =>
    runScript<Result>(
      script,
      { url, token: await sut.tokens.valid(seconds * 1000 + 60_000), seconds, ...config },
      { onStart: generator.onStart },
    );

  bar.phase('idle: memory and CPU at rest', IDLE_SECONDS);
  const idleWindow = sampleUsage(watched);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idle = idleWindow.stop();
  const idleCores = idle.filter((u) => services.some((s) => s.name === u.name)).reduce((s, u) => s + u.cpuCores, 0);
  const quietEnough = Math.max(0.1, idleCores * 2);
  const drainMs: number[] = [];
  const drain = async () => drainMs.push(await quiesce(services, quietEnough));

  bar.phase('warm-up (closed loop)', Math.ceil(seconds / 2));
  await load(CLOSED_LOOP, { connections, seconds: Math.ceil(seconds / 2) });
  await drain();

  bar.phase(`saturation: closed loop, ${connections} connections`, seconds);
  const generator = generatorWatch();
  const loadWindow = sampleUsage([...watched, generator.watched]);
  const saturation = await load<ClosedLoopResult>(CLOSED_LOOP, { connections }, generator);
  const underLoad = loadWindow.stop();
  await drain();

  const open: RepeatResult['open'] = [];
  for (const share of LOAD_SHARES) {
    const rate = Math.max(1, Math.round(saturation.placedPerSecond * share));
    bar.phase(`open model: ${Math.round(share * 100)}% = ${rate} orders/s`, seconds);
    const { journeys, ...result } = await load<OpenLoopResult>(OPEN_LOOP, { rate });
    bar.phase('saga completion of a sample', 3);
    const saga = await sagaLatencies(sut.gatewayUrl, () => sut.tokens.valid(), journeys);
    open.push({ share, ...result, saga });
    await drain();
  }

  bar.phase('baseline: trivial upstream behind the gateway', seconds);
  const baselineGenerator = generatorWatch();
  const baselineWindow = sampleUsage([...settings.baseline.watched, baselineGenerator.watched]);
  const baseline = await load<BaselineResult>(BASELINE_LOOP, { connections }, baselineGenerator, settings.baseline.url);
  const baselineUsage = baselineWindow.stop();

  bar.phase('start-up: each process from spawn to ready', sut.mode === 'cluster' ? 25 : 4);
  const startupMs = await sut.timeStartups();
  return {
    saturation: { ...saturation, connections },
    open,
    baseline,
    usage: { idle, load: underLoad, baseline: baselineUsage },
    drainMs,
    startupMs,
  };
}

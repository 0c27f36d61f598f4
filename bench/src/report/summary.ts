import { cpus, totalmem } from 'node:os';
import type { ProfiledProcess } from '../profile/profileRun.ts';
import type { RepeatResult } from '../repeat.ts';
import { medianOf } from '../support/stats.ts';

export type RunMeta = {
  mode: 'embedded' | 'cluster';
  startedAt: string;
  finishedAt: string;
  repeat: number;
  phaseSeconds: number;
  connections: number;
  quick: boolean;
  logLevel: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  notes: string[];
};

export type Report = {
  meta: RunMeta;
  /** The median of each figure over the repeats. */
  median: RepeatResult & { ratio: { placedToBaseline: number; requestsToBaseline: number } };
  runs: RepeatResult[];
  profile: ProfiledProcess[];
};

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function summarise(meta: RunMeta, runs: RepeatResult[], profile: ProfiledProcess[]): Report {
  const median = medianOf(runs);
  const baseline = median.baseline.requestsPerSecond;
  return {
    meta,
    median: {
      ...median,
      ratio: {
        placedToBaseline: median.saturation.placedPerSecond / baseline,
        requestsToBaseline: median.saturation.requestsPerSecond / baseline,
      },
    },
    runs,
    profile,
  };
}

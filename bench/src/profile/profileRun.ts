import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Progress } from '../progress.ts';
import { runScript } from '../support/children.ts';
import type { SystemUnderTest } from '../sut/system.ts';
import { type ProfileSummary, summariseProfile } from './summarise.ts';

export type ProfiledProcess = ProfileSummary & { process: string };

/**
 * Where the time goes on the hot path: the services restarted with --cpu-prof, one saturation
 * phase, then their profiles (written as they exit) summarised by self time during that phase.
 */
export async function profileHotPath(
  sut: SystemUnderTest,
  options: { seconds: number; connections: number; dir: string },
  bar: Progress,
): Promise<ProfiledProcess[]> {
  mkdirSync(options.dir, { recursive: true });
  bar.phase('profile: restarting with --cpu-prof', sut.mode === 'cluster' ? 20 : 3);
  const session = await sut.profile(options.dir);
  const saturate = async (seconds: number) =>
    runScript(new URL('../load/closedLoop.ts', import.meta.url), {
      url: sut.gatewayUrl,
      token: await sut.tokens.valid(seconds * 1000 + 60_000),
      seconds,
      connections: options.connections,
    });
  bar.phase('profile: warm-up (left out of the profile)', Math.ceil(options.seconds / 2));
  await saturate(Math.ceil(options.seconds / 2));
  bar.phase('profile: saturation under the profiler', options.seconds);
  const now = () => Number(process.hrtime.bigint() / 1000n);
  const fromUs = now();
  await saturate(options.seconds);
  const window = { fromUs, toUs: now() };
  bar.phase('profile: stopping and summarising', 3);
  const files = await session.finish();
  return files.map((file) => ({
    process: dirname(file) === options.dir ? sut.mode : basename(dirname(file)),
    ...summariseProfile(file, window),
  }));
}

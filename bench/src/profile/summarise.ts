import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
/** A stretch of CLOCK_MONOTONIC in microseconds (process.hrtime in any process on the machine, and V8's profile clock). */
export type Window = { fromUs: number; toUs: number };

export type Hotspot = { name: string; selfMs: number; share: number };
export type ProfileSummary = { file: string; busyMs: number; functions: Hotspot[]; areas: Hotspot[] };

// '(program)' is the VM's own native work and '(garbage collector)' is GC: both are busy time, kept.
const IDLE = new Set(['(idle)']);

/** Where a function lives: a package, a workspace module, Node's internals, or the VM itself. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency?.[1]) {
    const name = dependency[1];
    return name.startsWith('@12street/') ? name : `dep: ${name}`;
  }
  const workspace = /\/(services|packages|apps)\/([^/]+)\//.exec(url);
  return workspace ? `@12street/${workspace[2]}` : url;
}

const top = (totals: Map<string, number>, busyMs: number, count: number): Hotspot[] =>
  [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, selfMs]) => ({ name, selfMs: Math.round(selfMs), share: busyMs ? selfMs / busyMs : 0 }));

/**
 * Self time per function and per area from a .cpuprofile (V8's sampling profile): each sample's
 * time delta is charged to the function on top of the stack. Idle time is left out of the shares,
 * and so is everything outside the window (the process's start-up, its shutdown).
 */
export function summariseProfile(file: string, window?: Window, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const ms = delta / 1000;
    if (!frame || IDLE.has(frame.functionName) || ms <= 0) return;
    busyMs += ms;
    const where = frame.url ? `${basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const area = areaOf(frame);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
  });
  return {
    file,
    busyMs: Math.round(busyMs),
    functions: top(byFunction, busyMs, count),
    areas: top(byArea, busyMs, count),
  };
}

// `node bench/src/profile/summarise.ts <file.cpuprofile>...` prints the summaries.
if (import.meta.main) {
  for (const file of process.argv.slice(2)) {
    const summary = summariseProfile(file);
    process.stdout.write(`\n${file}: ${summary.busyMs} ms busy\n`);
    for (const { name, selfMs, share } of [...summary.areas, ...summary.functions]) {
      process.stdout.write(`  ${(share * 100).toFixed(1).padStart(5)}%  ${String(selfMs).padStart(6)} ms  ${name}\n`);
    }
  }
}

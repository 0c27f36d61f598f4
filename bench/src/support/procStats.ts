import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Processes reported under one name; infrastructure (brokers, databases) is shown apart from the services. */
export type Watched = { name: string; pids: () => number[]; infra?: boolean };

/** Resident memory (VmRSS) of a process in bytes; 0 once it is gone. */
function rssOf(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** User plus system CPU time a process used so far, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Every process whose command name (/proc/<pid>/comm) is one of these: machine daemons with many workers. */
export function pidsNamed(...names: string[]): () => number[] {
  return () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
        } catch {
          return false;
        }
      })
      .map(Number);
}

/** CPU seconds the whole machine spent busy so far (every process: ours, the databases', anyone else's). */
function machineBusySeconds(): number {
  const [, ...fields] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS;
}

function machineUsedBytes(): number {
  const info = readFileSync('/proc/meminfo', 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(info)?.[1] ?? 0);
  return (kb('MemTotal') - kb('MemAvailable')) * 1024;
}

export const WHOLE_MACHINE = 'whole machine (every process)';

export type Usage = { name: string; infra: boolean; cpuCores: number; rssMeanMb: number; rssMaxMb: number };

/**
 * Samples memory and CPU of the watched processes every intervalMs until stop(): CPU as the cores
 * used on average over the window (1.0 = one core busy), memory as mean and peak RSS. A process
 * that appears during the window counts from its start; one that ends keeps what it used until
 * its last sample.
 */
export function sampleUsage(watched: Watched[], intervalMs = 500) {
  const startedAt = performance.now();
  const cpu = watched.map(() => new Map<number, { first: number; last: number }>());
  const rss = watched.map(() => [] as number[]);
  const machineFirst = machineBusySeconds();
  const machineRss: number[] = [];
  let firstSample = true;
  const sample = () => {
    machineRss.push(machineUsedBytes());
    watched.forEach((w, i) => {
      let bytes = 0;
      for (const pid of w.pids()) {
        const seconds = cpuSecondsOf(pid);
        const seen = cpu[i]?.get(pid);
        if (seen) seen.last = Math.max(seen.last, seconds);
        else cpu[i]?.set(pid, { first: firstSample ? seconds : 0, last: seconds });
        bytes += rssOf(pid);
      }
      rss[i]?.push(bytes);
    });
    firstSample = false;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): Usage[] {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - startedAt) / 1000;
      const mb = (bytes: number) => bytes / 1024 / 1024;
      const machineSeconds = machineBusySeconds() - machineFirst;
      const machine: Usage = {
        name: WHOLE_MACHINE,
        infra: true,
        cpuCores: seconds > 0 ? machineSeconds / seconds : 0,
        rssMeanMb: mb(machineRss.reduce((a, b) => a + b, 0) / Math.max(1, machineRss.length)),
        rssMaxMb: mb(Math.max(0, ...machineRss)),
      };
      const usages = watched.map((w, i) => {
        const used = [...(cpu[i]?.values() ?? [])].reduce((sum, { first, last }) => sum + (last - first), 0);
        const values = (rss[i] ?? []).filter((bytes) => bytes > 0);
        return {
          name: w.name,
          infra: w.infra ?? false,
          cpuCores: seconds > 0 ? used / seconds : 0,
          rssMeanMb: mb(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)),
          rssMaxMb: mb(Math.max(0, ...values)),
        };
      });
      return [...usages, machine];
    },
  };
}

/**
 * Waits until the processes are back to idle (their CPU over a second at most `cores`), so a phase
 * does not start while the previous one's events are still being worked off. Returns the wait in ms.
 */
export async function quiesce(watched: Watched[], cores: number, timeoutMs = 60_000): Promise<number> {
  const startedAt = performance.now();
  while (performance.now() - startedAt < timeoutMs) {
    const window = sampleUsage(watched, 1000);
    await new Promise((r) => setTimeout(r, 1000));
    const busy = window
      .stop()
      .filter((usage) => !usage.infra)
      .reduce((sum, usage) => sum + usage.cpuCores, 0);
    if (busy <= cores) break;
  }
  return performance.now() - startedAt;
}

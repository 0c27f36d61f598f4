import { Presets, SingleBar } from 'cli-progress';

/**
 * One bar for the whole run, advancing with the clock through phases of known length. Without a
 * terminal (CI, a pipe) each phase is a line instead.
 */
export function progress(totalSeconds: number) {
  const tty = process.stderr.isTTY;
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {phase} | {elapsed}s', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const startedAt = performance.now();
  let before = 0;
  let budget = 0;
  let phaseStart = startedAt;
  let name = 'starting';
  const elapsed = () => Math.round((performance.now() - startedAt) / 1000);
  const tick = () => {
    const inPhase = Math.min(budget, (performance.now() - phaseStart) / 1000);
    if (tty) bar.update(Math.min(totalSeconds, before + inPhase), { phase: name, elapsed: elapsed() });
  };
  if (tty) bar.start(totalSeconds, 0, { phase: name, elapsed: 0 });
  const timer = setInterval(tick, 250);
  return {
    /** A new phase, expected to last about `seconds`. */
    phase(label: string, seconds: number) {
      before += budget;
      budget = seconds;
      phaseStart = performance.now();
      name = label;
      if (tty) tick();
      else process.stderr.write(`bench: [${elapsed()}s] ${label}\n`);
    },
    stop() {
      clearInterval(timer);
      if (tty) {
        bar.update(totalSeconds, { phase: 'done', elapsed: elapsed() });
        bar.stop();
      }
    },
  };
}

export type Progress = ReturnType<typeof progress>;

import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench script in a process of its own (so the load generator never shares an event loop
 * with the system it measures) and returns the JSON it prints on its last stdout line.
 */
export function runScript<Result>(
  script: URL,
  config: unknown,
  options: { onStart?: (child: ChildProcess) => void } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(script), JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    options.onStart?.(child);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script.pathname} exited with ${code}: ${last.slice(0, 500)}`));
      try {
        resolve(JSON.parse(last) as Result);
      } catch {
        reject(new Error(`${script.pathname} printed no JSON result: ${last.slice(0, 500)}`));
      }
    });
  });
}

export type Daemon = { child: ChildProcess; exited: Promise<number | null>; stop(): Promise<number | null> };

/** A long-running node process with its output in a log file; stop() ends it with SIGTERM and waits. */
export function startDaemon(args: string[], env: Record<string, string>, logFile: string): Daemon {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls a URL until it answers 200, or fails after timeoutMs (or as soon as the daemon exits). */
export async function waitUntilReady(url: string, daemon: Daemon | undefined, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | null | undefined;
  daemon?.exited.then((code) => {
    exit = code;
  });
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`process exited with ${exit} before ${url} was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

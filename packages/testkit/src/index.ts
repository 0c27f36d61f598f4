import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type LogLevel } from '@12street/platform';

/** A logger that stays quiet in tests unless LOG_LEVEL asks otherwise. */
export const testLogger = (service = 'test') => createLogger(service, (process.env.LOG_LEVEL as LogLevel) ?? 'silent');

/** A fresh directory removed when the test ends. */
export function tempDir(t: { after(fn: () => void): void }, prefix = '12street-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Polls until check() returns a value other than undefined/false, or fails after timeoutMs with
 * the last value seen. Tests wait for asynchronous outcomes this way, never by sleeping.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 10_000,
    intervalMs = 25,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await check();
      if (last !== undefined && last !== false) return last as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${describe(last)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value)?.slice(0, 500) ?? String(value);
  } catch {
    return String(value);
  }
}

export const sampleOrder = (overrides: Record<string, unknown> = {}) => ({
  productId: 1,
  productName: 'TV',
  productPrice: 10000,
  qty: 1,
  userId: 'u1',
  username: 'kim',
  address: 'Seoul',
  phoneNo: '010-1234-5678',
  ...overrides,
});
export * from './infra.ts';
export * from './kafkaBroker.ts';

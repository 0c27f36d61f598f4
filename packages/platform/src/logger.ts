import pino, { type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Structured JSON logs, one logger per service, named so interleaved output stays readable. */
export function createLogger(service: string, level: LogLevel = 'info', base?: Logger): Logger {
  if (base) return base.child({ service });
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

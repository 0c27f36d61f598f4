import pino, { type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Structured JSON logs, one logger per service, named so interleaved output stays readable. */
export function createLogger(service: string | undefined, level: LogLevel = 'info'): Logger {
  return pino({ level, base: service ? { service } : {}, timestamp: pino.stdTimeFunctions.isoTime });
}

import type { Static, TObject } from 'typebox';
import Value from 'typebox/value';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads configuration once, at the composition root: environment strings are converted to the
 * schema's types, defaults filled in, and anything invalid stops the start with a clear message.
 */
export function readConfig<S extends TObject>(schema: S, env: Record<string, string | undefined>): Static<S> {
  const known: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') known[key] = value;
  }
  const candidate = Value.Default(schema, Value.Convert(schema, known));
  if (Value.Check(schema, candidate)) return candidate as Static<S>;
  const problems = Value.Errors(schema, candidate).map((e) => `${e.instancePath.slice(1) || '(config)'} ${e.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

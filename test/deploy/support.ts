import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_PORTS } from '@12street/contracts';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
export const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The services that run as their own process: a folder under services/ with src/main.ts. */
export const SERVICES = readdirSync(join(ROOT, 'services'))
  .filter((name) => existsSync(join(ROOT, 'services', name, 'src', 'main.ts')))
  .sort();

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** The port a service listens on unless told otherwise: DEFAULT_PORTS, or its main.ts's PORT default. */
export function defaultPortOf(service: string): number {
  const port =
    (DEFAULT_PORTS as Record<string, number>)[camel(service)] ??
    Number(/\bPORT: Type\.Integer\(\{[^}]*default: (\d+)/.exec(read(`services/${service}/src/main.ts`))?.[1]);
  if (!port) throw new Error(`no default port for ${service} in DEFAULT_PORTS or its main.ts`);
  return port;
}

// keys of object literals: `NAME: Type.String(...)`, at a line's start or after { or ,
const capsKeys = (source: string) =>
  [...source.matchAll(/(?:^|[{,])\s*([A-Z][A-Z0-9_]+)\s*:/gm)].map((m) => m[1] as string);
const envReads = (source: string) => [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string);
const block = (source: string, start: string) => {
  const from = source.indexOf(start);
  return from < 0 ? '' : source.slice(from, source.indexOf('});', from));
};

/**
 * The environment variables a service reads, found in its sources the way a reader would: the
 * configuration schema in its main.ts, plus the shared ones it pulls in from packages/runtime
 * (the process settings of runProcess, DATABASE_URL of runService, the breaker settings).
 */
export function envReadBy(service: string): Set<string> {
  const main = read(`services/${service}/src/main.ts`);
  const runtime = read('packages/runtime/src/runService.ts');
  const names = [...capsKeys(main), ...envReads(main)];
  if (/\brun(Process|Service)\(/.test(main)) names.push(...capsKeys(block(runtime, 'const ProcessConfig')));
  if (/\brunService\(/.test(main)) names.push(...capsKeys(block(runtime, 'const DatabaseConfig')));
  if (main.includes('BreakerConfig')) names.push(...capsKeys(read('packages/runtime/src/breakerConfig.ts')));
  return new Set(names);
}

/** How long a service gives itself to stop on SIGTERM: SHUTDOWN_GRACE_MS, or stopOnSignals' default. */
export function shutdownGraceMs(env: Record<string, string | undefined>): number {
  if (env.SHUTDOWN_GRACE_MS) return Number(env.SHUTDOWN_GRACE_MS);
  const fallback = /graceMs = ([\d_]+)/.exec(read('packages/platform/src/lifecycle.ts'))?.[1];
  if (!fallback) throw new Error('cannot find the default grace period in packages/platform/src/lifecycle.ts');
  return Number(fallback.replaceAll('_', ''));
}

/** Every YAML file of the deployment: compose, workflows, kustomize bases, overlays and templates. */
export function yamlFiles(): string[] {
  const walk = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory()
            ? walk(join(dir, entry.name))
            : /\.ya?ml$/.test(entry.name)
              ? [join(dir, entry.name)]
              : [],
        )
      : [];
  return [join(ROOT, 'docker-compose.yml'), ...walk(join(ROOT, '.github')), ...walk(join(ROOT, 'deploy'))].map((f) =>
    relative(ROOT, f),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: YAML documents are read field by field.
export type Doc = any;

export const readYaml = (path: string): Doc => parse(read(path), { merge: true });
export const readYamlDocuments = (path: string): Doc[] =>
  parseAllDocuments(read(path), { merge: true }).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    return doc.toJS();
  });

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from './kustomize.ts';

/**
 * Validation against the Kubernetes API's own OpenAPI schemas, as compiled into `kubernetes-models`
 * (types, required fields, enums, formats such as quantities). Those schemas accept unknown fields,
 * which the API server refuses (kubectl's strict field validation), so unknownFields() walks the
 * same package's type declarations, generated from the same schemas, to catch a misspelt field.
 */
export async function schemaErrors(object: Manifest): Promise<string | undefined> {
  const model = await modelOf(object);
  try {
    new model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export const isKubernetesKind = (object: Manifest) => existsSync(declarationOf(object));

type ModelClass = new (data: Manifest) => { validate(): void };

async function modelOf(object: Manifest): Promise<ModelClass> {
  const module = await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
  return module[object.kind] as ModelClass;
}

const packageRoot = resolve(dirname(fileURLToPath(import.meta.resolve('kubernetes-models'))));
/** A file of a package that kubernetes-models depends on: nested under it, or hoisted beside it. */
const packageFile = (path: string) =>
  [join(packageRoot, 'node_modules', path), join(packageRoot, '..', path)].find((file) => existsSync(file)) ?? path;
const declarationOf = (object: Manifest) => join(packageRoot, object.apiVersion, `${object.kind}.d.ts`);

/** Paths of fields that the kind's schema does not have, e.g. `spec.template.spec.containers[0].readinesProbe`. */
export function unknownFields(object: Manifest): string[] {
  const found: string[] = [];
  walk(object, declarationOf(object), '', found);
  return found;
}

type Shape = { properties: Map<string, string>; imports: Map<string, string> };
const shapes = new Map<string, Shape | null>();

function walk(value: unknown, file: string, path: string, found: string[]) {
  const shape = shapeOf(file);
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const type = shape.properties.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (type === undefined) {
      found.push(childPath);
      continue;
    }
    const element = /^Array<(\w+)>$/.exec(type)?.[1];
    const reference = shape.imports.get(element ?? type);
    if (!reference) continue;
    if (!element || !Array.isArray(child)) walk(child, reference, childPath, found);
    else for (const [i, item] of child.entries()) walk(item, reference, `${childPath}[${i}]`, found);
  }
}

/** The first interface of a generated declaration file: its top-level properties and their types. */
function shapeOf(file: string): Shape | null {
  const cached = shapes.get(file);
  if (cached !== undefined) return cached;
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, string>();
  for (const [, name = '', from = ''] of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    if (from.startsWith('.')) imports.set(name, resolve(dirname(file), from.replace(/\.js$/, '.d.ts')));
    else if (from.startsWith('@kubernetes-models/apimachinery/')) imports.set(name, packageFile(`${from}.d.ts`));
  }
  const body = /^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m.exec(text)?.[1];
  let shape: Shape | null = null;
  if (body !== undefined) {
    const properties = new Map<string, string>();
    for (const [, name = '', type = ''] of body.matchAll(/^ {4}"([^"]+)"\??: (.*?);?$/gm)) properties.set(name, type);
    shape = { properties, imports };
  }
  shapes.set(file, shape);
  return shape;
}

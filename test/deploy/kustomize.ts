import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * A small kustomize: exactly the features deploy/k8s uses, and an error for anything else, so a
 * manifest that starts relying on another feature fails here instead of rendering wrongly.
 * Supported: resources (files and kustomization directories), namespace, labels (pairs,
 * includeSelectors: false, includeTemplates), images (newName, newTag, digest), and patches —
 * strategic merge or JSON 6902 (add, replace, remove), by file or inline, with an optional target
 * (group, version, kind, name, namespace). Transformers run in kustomize's order: patches,
 * namespace, labels, images. Strategic merge follows kustomize: built-in kinds merge the lists
 * Kubernetes declares as merge lists, by their key; custom resources replace lists; null deletes.
 */

// biome-ignore lint/suspicious/noExplicitAny: manifests are plain YAML documents.
export type Manifest = Record<string, any>;

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
]);

export function renderKustomization(dir: string): Manifest[] {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((name) => join(dir, name))
    .find((path) => existsSync(path));
  if (!file) throw new Error(`no kustomization in ${dir}`);
  const k = parse(readFileSync(file, 'utf8')) as Manifest;
  const unknown = Object.keys(k).filter((key) => !KUSTOMIZATION_FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`${file}: the test renderer does not implement ${unknown.join(', ')}`);

  let objects: Manifest[] = [];
  for (const entry of (k.resources ?? []) as string[]) {
    const path = resolve(dir, entry);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readManifests(path)));
  }
  for (const patch of k.patches ?? []) objects = applyPatch(objects, patch, dir, file);
  if (k.namespace) for (const object of objects) setNamespace(object, k.namespace);
  for (const labels of k.labels ?? []) for (const object of objects) addLabels(object, labels, file);
  for (const image of k.images ?? []) for (const object of objects) setImage(object, image);
  assertUniqueIds(objects, file);
  return objects;
}

export function readManifests(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((object): object is Manifest => object !== null);
}

export const idOf = (o: Manifest) => `${o.kind}/${o.metadata?.namespace ?? '~'}/${o.metadata?.name}`;

function assertUniqueIds(objects: Manifest[], file: string) {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = idOf(object);
    if (seen.has(id)) throw new Error(`${file}: ${id} appears twice`);
    seen.add(id);
  }
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');
const versionOf = (apiVersion: string) => apiVersion.split('/').at(-1);

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Target = { group?: string; version?: string; kind?: string; name?: string; namespace?: string };

function matches(object: Manifest, target: Target): boolean {
  const unknown = Object.keys(target).filter((key) => !['group', 'version', 'kind', 'name', 'namespace'].includes(key));
  if (unknown.length > 0) throw new Error(`the test renderer does not implement patch target ${unknown.join(', ')}`);
  // kustomize anchors name and namespace selectors as regular expressions
  const regex = (value: string) => new RegExp(`^(?:${value})$`);
  return (
    (target.group === undefined || groupOf(object.apiVersion) === target.group) &&
    (target.version === undefined || versionOf(object.apiVersion) === target.version) &&
    (target.kind === undefined || object.kind === target.kind) &&
    (target.name === undefined || regex(target.name).test(object.metadata?.name ?? '')) &&
    (target.namespace === undefined || regex(target.namespace).test(object.metadata?.namespace ?? ''))
  );
}

function applyPatch(objects: Manifest[], entry: Manifest, dir: string, file: string): Manifest[] {
  const unknown = Object.keys(entry).filter((key) => !['path', 'patch', 'target'].includes(key));
  if (unknown.length > 0) throw new Error(`${file}: the test renderer does not implement patch ${unknown.join(', ')}`);
  const text: string = entry.path ? readFileSync(resolve(dir, entry.path), 'utf8') : entry.patch;
  const where = entry.path ?? 'inline patch';
  const docs = parseAllDocuments(text).map((doc) => doc.toJS());
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!entry.target) throw new Error(`${file}: a JSON 6902 patch (${where}) needs a target`);
    const targets = objects.filter((object) => matches(object, entry.target));
    if (targets.length === 0) throw new Error(`${file}: ${where} matches nothing`);
    for (const object of targets) applyJson6902(object, docs[0], where);
    return objects;
  }
  for (const patch of docs as Manifest[]) {
    const target: Target = entry.target ?? {
      group: groupOf(patch.apiVersion),
      version: versionOf(patch.apiVersion),
      kind: patch.kind,
      name: literally(patch.metadata?.name ?? ''),
      ...(patch.metadata?.namespace ? { namespace: literally(patch.metadata.namespace) } : {}),
    };
    const targets = objects.filter((object) => matches(object, target));
    if (targets.length === 0)
      throw new Error(`${file}: ${where} (${patch.kind} ${patch.metadata?.name}) matches nothing`);
    if (!entry.target && targets.length > 1) throw new Error(`${file}: ${where} matches more than one object`);
    for (const object of targets) {
      const body = structuredClone(patch);
      // with a target, the patch's own name says nothing: every matched object keeps its name
      if (entry.target && body.metadata) body.metadata.name = object.metadata?.name;
      const merged = strategicMerge(object, body, isBuiltIn(object), '');
      for (const key of Object.keys(object)) delete object[key];
      Object.assign(object, merged);
    }
  }
  return objects;
}

/** Kinds Kubernetes itself serves: their lists follow the API's patch strategies. */
const isBuiltIn = (object: Manifest) => {
  const group = groupOf(object.apiVersion ?? '');
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
};

/** The merge lists (patchStrategy: merge) of the fields these manifests can patch, and their keys. */
const MERGE_KEYS: Record<string, (items: Manifest[]) => string> = {
  containers: () => 'name',
  initContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  topologySpreadConstraints: () => 'topologyKey',
  // a container's ports merge by containerPort, a Service's by port
  ports: (items) => (items.some((item) => 'containerPort' in item) ? 'containerPort' : 'port'),
};

function strategicMerge(base: unknown, patch: unknown, builtIn: boolean, field: string): unknown {
  if (isPlainObject(patch)) {
    if ('$patch' in patch || Object.keys(patch).some((key) => key.startsWith('$'))) {
      throw new Error(`the test renderer does not implement strategic merge directives (${field})`);
    }
    const result: Manifest = isPlainObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete result[key];
      else result[key] = strategicMerge(result[key], value, builtIn, key);
    }
    return result;
  }
  if (Array.isArray(patch) && Array.isArray(base) && builtIn && field in MERGE_KEYS) {
    const key = MERGE_KEYS[field]?.([...base, ...patch]) as string;
    if (![...base, ...patch].every((item) => isPlainObject(item) && key in item)) {
      throw new Error(`every item of ${field} needs its merge key ${key}`);
    }
    // kustomize's order: the patch's items (merged with their originals), then the untouched originals
    const patched = patch.map((item) =>
      strategicMerge(
        base.find((old) => old[key] === item[key]),
        item,
        builtIn,
        '',
      ),
    );
    const untouched = base.filter((old) => !patch.some((item) => item[key] === old[key]));
    return [...patched, ...untouched];
  }
  return structuredClone(patch);
}

const isPlainObject = (value: unknown): value is Manifest =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function applyJson6902(object: Manifest, operations: Manifest[], where: string) {
  for (const { op, path, value } of operations) {
    const tokens = (path as string)
      .split('/')
      .slice(1)
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop();
    if (last === undefined) throw new Error(`${where}: cannot ${op} the whole document`);
    let parent: Manifest = object;
    for (const token of tokens) {
      parent = parent?.[Array.isArray(parent) ? Number(token) : token];
      if (parent === undefined) throw new Error(`${where}: ${path} does not exist in ${idOf(object)}`);
    }
    const exists = Array.isArray(parent) ? Number(last) < parent.length || last === '-' : last in parent;
    if (op === 'add') {
      if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(value));
      else parent[last] = structuredClone(value);
    } else if (op === 'replace') {
      if (!exists) throw new Error(`${where}: replace ${path}: nothing there in ${idOf(object)}`);
      parent[Array.isArray(parent) ? Number(last) : last] = structuredClone(value);
    } else if (op === 'remove') {
      if (!exists) throw new Error(`${where}: remove ${path}: nothing there in ${idOf(object)}`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      throw new Error(`${where}: the test renderer does not implement the JSON 6902 op ${op}`);
    }
  }
}

function setNamespace(object: Manifest, namespace: string) {
  if (object.kind === 'Namespace') object.metadata.name = namespace;
  else if (!CLUSTER_SCOPED.has(object.kind)) object.metadata = { ...object.metadata, namespace };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function addLabels(object: Manifest, entry: Manifest, file: string) {
  const unknown = Object.keys(entry).filter((key) => !['pairs', 'includeSelectors', 'includeTemplates'].includes(key));
  if (unknown.length > 0 || entry.includeSelectors === true) {
    throw new Error(`${file}: the test renderer implements labels with includeSelectors: false only`);
  }
  object.metadata = { ...object.metadata, labels: { ...object.metadata?.labels, ...entry.pairs } };
  if (entry.includeTemplates && WORKLOADS.has(object.kind) && object.spec?.template) {
    const template = object.spec.template;
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...entry.pairs } };
  }
}

function setImage(object: Manifest, image: Manifest) {
  const visit = (node: unknown, key: string) => {
    if (Array.isArray(node)) {
      for (const item of node) {
        if ((key === 'containers' || key === 'initContainers') && isPlainObject(item) && item.image) {
          item.image = retag(item.image, image);
        }
        visit(item, '');
      }
    } else if (isPlainObject(node)) {
      for (const [childKey, child] of Object.entries(node)) visit(child, childKey);
    }
  };
  visit(object, '');
}

function retag(reference: string, image: Manifest): string {
  const [withoutDigest = '', digest] = reference.split('@');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  if (name !== image.name) return reference;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : undefined;
  const newName = image.newName ?? name;
  if (image.digest) return `${newName}@${image.digest}`;
  const newTag = image.newTag ?? tag;
  return `${newName}${newTag ? `:${newTag}` : ''}${!image.newTag && digest ? `@${digest}` : ''}`;
}

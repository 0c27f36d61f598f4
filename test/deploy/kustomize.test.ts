import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '@12street/testkit';
import { parseAllDocuments } from 'yaml';
import { idOf, type Manifest, renderKustomization } from './kustomize.ts';
import { ROOT } from './support.ts';

// Each case is also rendered by kubectl's kustomize, when installed, to keep the renderer honest.

/** Writes files (path -> text) under a fresh directory and returns it. */
function tree(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = tempDir(t, 'kustomize-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web-image
          env: [{name: A, value: "1"}, {name: B, value: "2"}, {name: C, value: "3"}]
        - name: side
          image: side-image:1.0
`;
const topic = `apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata: {name: events, labels: {strimzi.io/cluster: c}}
spec: {partitions: 6, replicas: 3, config: {retention.ms: 1000}, tags: [a, b]}
`;
const base = {
  'base/kustomization.yaml': 'resources: [objects.yaml]\n',
  'base/objects.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: placeholder}\n---\n${deployment}---\n${topic}`,
};
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const byId = (objects: Manifest[]) => new Map(objects.map((o) => [idOf(o), o]));

/** Renders with our renderer, and checks the result against kubectl's kustomize where it is installed. */
function render(dir: string): Manifest[] {
  const ours = renderKustomization(dir);
  if (kubectl) {
    const theirs = byId(
      parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS()),
    );
    assert.deepEqual([...byId(ours).keys()].sort(), [...theirs.keys()].sort());
    for (const object of ours)
      assert.deepEqual(object, theirs.get(idOf(object)), `kubectl renders ${idOf(object)} otherwise`);
  }
  return ours;
}

const only = (objects: Manifest[], kind: string) => objects.find((o) => o.kind === kind) as Manifest;

test('a strategic merge patch merges containers and env by name, patch items first, and null deletes', (t) => {
  const dir = tree(t, {
    ...base,
    'overlay/kustomization.yaml': 'resources: [../base]\npatches: [{path: patch.yaml}]\n',
    'overlay/patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          env: [{name: C, value: "30"}, {name: D, value: "4"}, {name: B, value: null}]
`,
  });
  const web = only(render(join(dir, 'overlay')), 'Deployment');
  assert.equal(web.spec.replicas, 2);
  assert.deepEqual(
    web.spec.template.spec.containers.map((c: Manifest) => c.name),
    ['web', 'side'],
  );
  assert.deepEqual(web.spec.template.spec.containers[0].env, [
    { name: 'C', value: '30' },
    { name: 'D', value: '4' },
    { name: 'B' },
    { name: 'A', value: '1' },
  ]);
});

test('a strategic merge patch on a custom resource merges maps and replaces lists', (t) => {
  const dir = tree(t, {
    ...base,
    'overlay/kustomization.yaml': `resources: [../base]
patches:
  - path: topic.yaml
    target: {group: kafka.strimzi.io, kind: KafkaTopic}
`,
    'overlay/topic.yaml': `apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata: {name: any}
spec: {replicas: 1, config: {min.insync.replicas: 1}, tags: [c]}
`,
  });
  const events = only(render(join(dir, 'overlay')), 'KafkaTopic');
  assert.equal(events.metadata.name, 'events');
  assert.deepEqual(events.spec, {
    partitions: 6,
    replicas: 1,
    config: { 'retention.ms': 1000, 'min.insync.replicas': 1 },
    tags: ['c'],
  });
});

test('JSON 6902 patches add, replace and remove on every targeted object', (t) => {
  const dir = tree(t, {
    ...base,
    'overlay/kustomization.yaml': `resources: [../base]
patches:
  - target: {kind: Deployment, name: w.b}
    patch: |-
      - {op: replace, path: /spec/template/spec/containers/1/image, value: other:2}
      - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: Z, value: "26"}}
      - {op: remove, path: /spec/template/spec/containers/0/env/0}
`,
  });
  const [web] = render(join(dir, 'overlay')).filter((o) => o.kind === 'Deployment');
  const [first, second] = web?.spec.template.spec.containers ?? [];
  assert.equal(second.image, 'other:2');
  assert.deepEqual(
    first.env.map((e: Manifest) => e.name),
    ['B', 'C', 'Z'],
  );
});

test('namespace, labels and images are applied after the patches', (t) => {
  const dir = tree(t, {
    ...base,
    'overlay/kustomization.yaml': `resources: [../base]
namespace: shop
labels:
  - pairs: {part-of: shop}
    includeSelectors: false
    includeTemplates: true
images:
  - {name: web-image, newName: registry.example/web, newTag: "7"}
  - {name: side-image, newTag: "2.0"}
`,
  });
  const objects = render(join(dir, 'overlay'));
  assert.equal(only(objects, 'Namespace').metadata.name, 'shop');
  const web = only(objects, 'Deployment');
  assert.equal(web.metadata.namespace, 'shop');
  assert.equal(only(objects, 'KafkaTopic').metadata.namespace, 'shop');
  assert.equal(web.metadata.labels['part-of'], 'shop');
  assert.equal(web.spec.template.metadata.labels['part-of'], 'shop');
  assert.deepEqual(web.spec.selector.matchLabels, { app: 'web' });
  assert.deepEqual(
    web.spec.template.spec.containers.map((c: Manifest) => c.image),
    ['registry.example/web:7', 'side-image:2.0'],
  );
});

test('a feature the renderer does not implement, or a patch that matches nothing, is an error', (t) => {
  const unsupported = tree(t, { ...base, 'overlay/kustomization.yaml': 'resources: [../base]\nnamePrefix: x-\n' });
  assert.throws(() => renderKustomization(join(unsupported, 'overlay')), /does not implement namePrefix/);
  const dangling = tree(t, {
    ...base,
    'overlay/kustomization.yaml': 'resources: [../base]\npatches: [{path: p.yaml}]\n',
    'overlay/p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nope}\nspec: {replicas: 2}\n',
  });
  assert.throws(() => renderKustomization(join(dangling, 'overlay')), /matches nothing/);
});

for (const overlay of ['dev', 'prod']) {
  test(`the ${overlay} overlay renders exactly as kubectl kustomize renders it`, {
    skip: kubectl ? false : 'kubectl is not installed: nothing to compare the renderer with',
  }, () => {
    render(join(ROOT, 'deploy/k8s/overlays', overlay));
  });
}

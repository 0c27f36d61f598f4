import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { STREET_EVENT_TYPES, topicOf } from '@12street/contracts';
import { deadLetterTopicFor } from '@12street/kafka';
import { schemaErrors, unknownFields } from './kubernetesSchemas.ts';
import { idOf, type Manifest, readManifests, renderKustomization } from './kustomize.ts';
import { validateStrimzi } from './strimzi.ts';
import { defaultPortOf, envReadBy, ROOT, readYamlDocuments, SERVICES, shutdownGraceMs, yamlFiles } from './support.ts';

const OVERLAYS = ['dev', 'prod'] as const;
const rendered = Object.fromEntries(
  OVERLAYS.map((overlay) => [overlay, renderKustomization(join(ROOT, 'deploy/k8s/overlays', overlay))]),
) as Record<(typeof OVERLAYS)[number], Manifest[]>;
const secretTemplate = readManifests(join(ROOT, 'deploy/k8s/base/secret.template.yaml'));
// The services with a consumer group (README, "Kafka"); a group has at most one member per partition.
const CONSUMERS = ['payment', 'delivery', 'order-status'];
const PARTITIONS = 6;

const of = (objects: Manifest[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: Manifest[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name} is missing`);
  return found;
};
const containerOf = (deployment: Manifest) => {
  const containers = deployment.spec.template.spec.containers;
  assert.equal(containers.length, 1, `${deployment.metadata.name} runs one container`);
  return containers[0];
};
const labelsMatch = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

test('every YAML file of the deployment parses', () => {
  const files = yamlFiles();
  assert.ok(files.length > 10, `found ${files.length} files`);
  for (const file of files) assert.doesNotThrow(() => readYamlDocuments(file), file);
});

for (const overlay of OVERLAYS) {
  describe(`the ${overlay} overlay`, () => {
    const objects = rendered[overlay];
    const config = named(objects, 'ConfigMap', 'street-config');
    const secretKeys = (name: string) => new Set(Object.keys(named(secretTemplate, 'Secret', name).stringData));

    test('every Kubernetes object is valid against the API schema, with no unknown field', async () => {
      for (const object of objects.filter((o) => !o.apiVersion.startsWith('kafka.strimzi.io/'))) {
        assert.equal(await schemaErrors(object), undefined, idOf(object));
        assert.deepEqual(unknownFields(object), [], `${idOf(object)} has fields the API does not know`);
      }
    });

    test('the Strimzi resources have the structure the operator requires', () => {
      const strimzi = objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
      assert.deepEqual([...new Set(strimzi.map((o) => o.kind))].sort(), ['Kafka', 'KafkaNodePool', 'KafkaTopic']);
      for (const object of strimzi) assert.deepEqual(validateStrimzi(object, objects), [], idOf(object));
    });

    test('the four event topics have 6 partitions and keep events forever; dead letters have topics of their own', () => {
      const all = of(objects, 'KafkaTopic');
      const expected = [...new Set(STREET_EVENT_TYPES.map(topicOf))].sort();
      const events = all.filter((t) => expected.includes(t.spec.topicName));
      assert.deepEqual(events.map((t) => t.spec.topicName).sort(), expected);
      for (const topic of events) {
        assert.equal(topic.spec.partitions, PARTITIONS, topic.metadata.name);
        // The order-status view is rebuilt by replaying the topics from the beginning.
        assert.equal(Number(topic.spec.config['retention.ms']), -1, `${topic.metadata.name} retention.ms`);
      }
      const deadLetters = all.filter((t) => !expected.includes(t.spec.topicName));
      assert.deepEqual(
        deadLetters.map((t) => t.spec.topicName).sort(),
        ['delivery', 'marketing', 'order', 'order-status', 'payment'].map((s) => deadLetterTopicFor(s)).sort(),
      );
      for (const topic of deadLetters) assert.ok(Number(topic.spec.config['retention.ms']) > 0, topic.metadata.name);
    });

    test('everything lives in the 12street namespace', () => {
      named(objects, 'Namespace', '12street');
      for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
        assert.equal(object.metadata.namespace, '12street', idOf(object));
      }
    });

    test('every service has a Deployment, a Service and a PodDisruptionBudget', () => {
      assert.deepEqual(
        of(objects, 'Deployment')
          .map((d) => d.metadata.name)
          .sort(),
        SERVICES,
      );
      for (const service of SERVICES) {
        named(objects, 'Service', service);
        named(objects, 'PodDisruptionBudget', service);
      }
    });

    for (const service of SERVICES) {
      describe(service, () => {
        const deployment = named(objects, 'Deployment', service);
        const pod = deployment.spec.template;
        const container = containerOf(deployment);
        const port = defaultPortOf(service);
        const env: Record<string, string | undefined> = {};
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.configMapKeyRef;
          env[variable.name] = ref ? config.data[ref.key] : variable.value;
        }

        test('its container listens on the service port and is probed where the service answers', () => {
          assert.deepEqual(container.ports, [{ name: 'http', containerPort: port }]);
          assert.equal(env.PORT ?? String(port), String(port), 'PORT');
          const probes = {
            startupProbe: '/health/live',
            livenessProbe: '/health/live',
            readinessProbe: '/health/ready',
          };
          for (const [probe, path] of Object.entries(probes)) {
            assert.deepEqual(container[probe]?.httpGet, { path, port: 'http' }, probe);
          }
        });

        test('it is handed only variables the service reads, and every reference resolves', () => {
          const reads = envReadBy(service);
          for (const variable of container.env ?? []) {
            assert.ok(reads.has(variable.name), `${service} does not read ${variable.name}`);
            const configRef = variable.valueFrom?.configMapKeyRef;
            if (configRef) {
              assert.equal(configRef.name, 'street-config');
              assert.ok(configRef.key in config.data, `street-config has no ${configRef.key}`);
            }
            const secretRef = variable.valueFrom?.secretKeyRef;
            if (secretRef) {
              assert.ok(secretKeys(secretRef.name).has(secretRef.key), `secret.template.yaml has no ${secretRef.key}`);
            }
          }
          assert.equal(container.envFrom, undefined, 'envFrom would hand it variables it does not read');
          for (const variable of (container.env as Manifest[]).filter((v) => v.name.endsWith('_FILE'))) {
            const mount = (container.volumeMounts as Manifest[]).find((m) =>
              variable.value.startsWith(`${m.mountPath}/`),
            );
            const volume = pod.spec.volumes.find((v: Manifest) => v.name === mount?.name);
            assert.ok(volume?.secret, `${variable.name} is a file of a mounted Secret`);
            const key = variable.value.slice(mount?.mountPath.length + 1);
            assert.ok(secretKeys(volume.secret.secretName).has(key), `${volume.secret.secretName} has no ${key}`);
          }
          assert.equal(pod.spec.enableServiceLinks, false, 'service links add <NAME>_PORT variables');
        });

        test('it stops gracefully: a preStop pause, then SIGTERM within the grace period', () => {
          const pauseSeconds = Number(container.lifecycle?.preStop?.exec?.command?.[1]);
          assert.deepEqual(container.lifecycle.preStop.exec.command[0], 'sleep');
          assert.ok(pauseSeconds >= 3, 'endpoints need a few seconds to drain');
          const graceSeconds = shutdownGraceMs(env) / 1000;
          assert.ok(
            pod.spec.terminationGracePeriodSeconds > pauseSeconds + graceSeconds,
            `terminationGracePeriodSeconds ${pod.spec.terminationGracePeriodSeconds} <= ${pauseSeconds} + ${graceSeconds}`,
          );
          assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
        });

        test('it runs as a non-root user on a read-only root filesystem', () => {
          assert.equal(pod.spec.securityContext.runAsNonRoot, true);
          assert.ok(pod.spec.securityContext.runAsUser > 0);
          assert.equal(container.securityContext.readOnlyRootFilesystem, true);
          assert.equal(container.securityContext.allowPrivilegeEscalation, false);
          assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
          assert.equal(pod.spec.automountServiceAccountToken, false);
        });

        test('it has requests and limits, and Prometheus scrapes its port', () => {
          for (const bound of ['requests', 'limits']) {
            assert.ok(container.resources[bound].cpu && container.resources[bound].memory, bound);
          }
          assert.deepEqual(pod.metadata.annotations, {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(port),
            'prometheus.io/path': '/metrics',
          });
        });

        test('its image comes from the overlay, pinned to a tag', () => {
          assert.match(container.image, new RegExp(`^ghcr\\.io/[^/]+/12street-${service}:[\\w.-]+$`));
        });

        test('its Service and PodDisruptionBudget select its pods, and only them', () => {
          const selects = (selector: Record<string, string>) =>
            of(objects, 'Deployment').filter((d) => labelsMatch(selector, d.spec.template.metadata.labels));
          const svc = named(objects, 'Service', service);
          assert.deepEqual(selects(svc.spec.selector), [deployment]);
          assert.deepEqual(svc.spec.ports, [{ name: 'http', port, targetPort: 'http' }]);
          const pdb = named(objects, 'PodDisruptionBudget', service);
          assert.deepEqual(selects(pdb.spec.selector.matchLabels), [deployment]);
          assert.ok(labelsMatch(deployment.spec.selector.matchLabels, pod.metadata.labels), 'own selector');
        });
      });
    }

    test('the gateway reaches each service by its Service name and port', () => {
      const gateway = containerOf(named(objects, 'Deployment', 'gateway'));
      const urls = (gateway.env as Manifest[]).filter((v) => v.name.endsWith('_URL'));
      assert.equal(urls.length, SERVICES.length - 1);
      for (const { name, value } of urls) {
        const target = name.replace(/_URL$/, '').toLowerCase().replaceAll('_', '-');
        assert.equal(value, `http://${target}:${defaultPortOf(target)}`, name);
        named(objects, 'Service', target);
      }
    });

    test('the autoscalers scale order and payment by CPU, and target existing Deployments', () => {
      const autoscalers = of(objects, 'HorizontalPodAutoscaler');
      assert.deepEqual(autoscalers.map((h) => h.metadata.name).sort(), ['order', 'payment']);
      for (const hpa of autoscalers) {
        const target = named(objects, 'Deployment', hpa.spec.scaleTargetRef.name);
        assert.deepEqual(hpa.spec.scaleTargetRef, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: hpa.metadata.name,
        });
        assert.equal(target.spec.replicas, undefined, 'the autoscaler, not the Deployment, owns the count');
        assert.equal(hpa.spec.metrics[0].resource.name, 'cpu');
      }
    });

    test('no consumer group is given more replicas than a topic has partitions', () => {
      for (const service of CONSUMERS) {
        const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === service);
        const replicas = hpa?.spec.maxReplicas ?? named(objects, 'Deployment', service).spec.replicas;
        assert.ok(replicas <= PARTITIONS, `${service} may run ${replicas} replicas`);
      }
    });

    test('the Ingress sends everything to the gateway Service', () => {
      const ingresses = of(objects, 'Ingress');
      assert.equal(ingresses.length, 1);
      const ingress = ingresses[0] as Manifest;
      const backend = ingress.spec.rules[0].http.paths[0];
      assert.deepEqual(backend.backend.service, { name: 'gateway', port: { name: 'http' } });
      assert.equal(backend.path, '/');
      assert.ok(named(objects, 'Service', 'gateway').spec.ports.some((p: Manifest) => p.name === 'http'));
    });

    test('the services reach Kafka through the Strimzi bootstrap Service', () => {
      const kafka = of(objects, 'Kafka')[0] as Manifest;
      const plain = kafka.spec.kafka.listeners.find((l: Manifest) => l.tls === false);
      assert.equal(config.data.KAFKA_BROKERS, `${kafka.metadata.name}-kafka-bootstrap:${plain.port}`);
    });
  });
}

test('dev runs one replica of everything; prod runs several behind autoscalers', () => {
  const replicasOf = (objects: Manifest[], service: string) => {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === service);
    return hpa ? [hpa.spec.minReplicas, hpa.spec.maxReplicas] : [named(objects, 'Deployment', service).spec.replicas];
  };
  for (const service of SERVICES) {
    assert.ok(
      replicasOf(rendered.dev, service).every((n) => n === 1),
      `dev ${service}`,
    );
    assert.ok((replicasOf(rendered.prod, service)[0] as number) >= 2, `prod ${service}`);
  }
  assert.equal(named(rendered.dev, 'KafkaNodePool', 'dual-role').spec.replicas, 1);
  assert.equal(named(rendered.prod, 'KafkaNodePool', 'dual-role').spec.replicas, 3);
});

test('the Secret templates are valid Secrets that only show placeholders, never a password or key', async () => {
  for (const secret of secretTemplate) {
    assert.equal(await schemaErrors(secret), undefined);
    assert.deepEqual(unknownFields(secret), []);
  }
  const stores = named(secretTemplate, 'Secret', 'street-stores');
  for (const [key, url] of Object.entries(stores.stringData as Record<string, string>)) {
    assert.equal(new URL(url).password, 'CHANGE_ME', key);
  }
  assert.deepEqual(named(secretTemplate, 'Secret', 'street-identity-keys').stringData, {
    'signing-key.pem': 'CHANGE_ME',
  });
});

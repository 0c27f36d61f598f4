import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type Doc, defaultPortOf, envReadBy, ROOT, read, readYaml, SERVICES, shutdownGraceMs } from './support.ts';

const INFRA = ['kafka', 'postgres', 'mariadb', 'redis'];
// one-shot jobs: they run to completion before the services that need them
const JOBS = ['identity-key'];

/** Dockerfile instructions, continuation lines joined, comments and parser directives dropped. */
function dockerfile(): { instruction: string; args: string }[] {
  return read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [instruction = '', ...rest] = line.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
}

/** .dockerignore semantics for plain patterns: `*` within a segment, `**` across, a match excludes the subtree. */
function ignoredByDocker(path: string): boolean {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  assert.ok(!patterns.some((p) => p.startsWith('!')), 'the matcher below has no exceptions (!pattern)');
  const regex = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/^\//, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*\*/g, '\u0001')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replaceAll('\u0000', '(.*/)?')
        .replaceAll('\u0001', '.*')}(/.*)?$`,
    );
  return patterns.some((pattern) => regex(pattern).test(path));
}

describe('the Dockerfile', () => {
  const steps = dockerfile();
  const lastFrom = steps.findLastIndex((s) => s.instruction === 'FROM');
  const runtime = steps.slice(lastFrom);
  const one = (instruction: string) => {
    const found = runtime.filter((s) => s.instruction === instruction);
    assert.equal(found.length, 1, `one ${instruction} in the final stage`);
    return found[0]?.args ?? '';
  };

  test('builds every stage from node:24-slim', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(read('Dockerfile'))?.[1];
    assert.equal(base, 'node:24-slim');
    for (const from of steps.filter((s) => s.instruction === 'FROM'))
      assert.match(from.args, /^\$\{NODE_IMAGE\} AS \w+$/);
  });

  test('installs the workspace production dependencies with npm ci', () => {
    assert.ok(steps.some((s) => s.instruction === 'RUN' && /npm ci --omit=dev\b/.test(s.args)));
  });

  test('starts the chosen service with node, as PID 1, and every service has that entry point', () => {
    const cmd = JSON.parse(one('CMD')) as string[];
    const script = cmd.at(-1) ?? '';
    assert.deepEqual(cmd.slice(0, 2), ['/bin/sh', '-c']);
    assert.match(script, /^exec node services\/\$\{SERVICE\}\/src\/main\.ts$/);
    for (const service of SERVICES) {
      assert.ok(existsSync(join(ROOT, `services/${service}/src/main.ts`)), service);
    }
    assert.match(one('ENV'), /SERVICE=\$\{SERVICE\}/);
  });

  test('runs as a non-root numeric user, stops on SIGTERM, and checks liveness with node', () => {
    assert.match(one('USER'), /^[1-9]\d*:[1-9]\d*$/);
    assert.equal(one('STOPSIGNAL'), 'SIGTERM');
    const check = /CMD (\[.*\])$/.exec(one('HEALTHCHECK'))?.[1] ?? '[]';
    const [node, script, path] = JSON.parse(check) as string[];
    assert.equal(node, 'node');
    assert.equal(path, '/health/live');
    assert.ok(existsSync(join(ROOT, (script ?? '').replace(/^\/app\//, ''))), `${script} is in the image`);
  });

  test('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const copies = steps.filter((s) => s.instruction === 'COPY' && !s.args.includes('--from'));
    for (const copy of copies) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's variable, not a template
      for (const source of sources.map((s) => s.replace('${SERVICE}', 'order').replace(/\/$/, ''))) {
        if (source === '.') continue;
        assert.ok(existsSync(join(ROOT, source)), `COPY ${source}`);
        assert.ok(!ignoredByDocker(source), `COPY ${source} is excluded by .dockerignore`);
      }
    }
    for (const kept of ['package.json', 'package-lock.json', 'packages/platform/src/index.ts', 'services/order/src']) {
      assert.ok(!ignoredByDocker(kept), kept);
    }
    for (const left of ['node_modules', 'services/order/node_modules', '.git', 'packages/platform/test', 'data']) {
      assert.ok(ignoredByDocker(left), `${left} stays out of the build context`);
    }
  });
});

test('the image health check passes on 200 from the service port and fails otherwise', async (t) => {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/health/live' ? 200 : 503;
    response.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  t.after(() => server.close());
  const port = String((server.address() as AddressInfo).port);
  const check = (path: string, env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['deploy/docker/healthcheck.ts', path], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );
  assert.equal(await check('/health/live', { PORT: port, SERVICE: 'order' }), 0);
  assert.equal(await check('/health/ready', { PORT: port, SERVICE: 'order' }), 1);
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  assert.equal(await check('/health/live', { PORT: port, SERVICE: 'order' }), 1, 'nothing listening');
});

describe('docker-compose.yml', () => {
  const compose = readYaml('docker-compose.yml');
  const services: Record<string, Doc> = compose.services;
  const postgresInit = read('deploy/compose/postgres-init.sql');
  const mariadbInit = read('deploy/compose/mariadb-init.sql');

  test('runs the infrastructure and every service', () => {
    assert.deepEqual(Object.keys(services).sort(), [...INFRA, ...JOBS, ...SERVICES].sort());
    assert.match(services.kafka.image, /^apache\/kafka:4\.1\.\d+$/);
    assert.equal(services.postgres.image, 'postgres:17');
    assert.equal(services.mariadb.image, 'mariadb:11');
    assert.equal(services.redis.image, 'redis:7');
  });

  test('runs Kafka as a single KRaft node that the services can reach', () => {
    const env = services.kafka.environment;
    assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.equal(env.KAFKA_CONTROLLER_QUORUM_VOTERS, `${env.KAFKA_NODE_ID}@kafka:9093`);
    assert.equal(env.KAFKA_ADVERTISED_LISTENERS, 'PLAINTEXT://kafka:9092');
    assert.equal(Buffer.from(env.CLUSTER_ID, 'base64url').length, 16, 'CLUSTER_ID is a base64 UUID');
    assert.equal(String(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE), 'false');
  });

  test('creates the databases and users infra/db/provision.sh creates, from the mounted init scripts', () => {
    const provision = read('infra/db/provision.sh');
    const list = (name: string) => (new RegExp(`${name}=\\(([^)]*)\\)`).exec(provision)?.[1] ?? '').split(/\s+/);
    for (const db of list('PG_DBS').filter(Boolean)) {
      assert.match(postgresInit, new RegExp(`CREATE ROLE ${db} LOGIN PASSWORD '${db}';`));
      assert.match(postgresInit, new RegExp(`CREATE DATABASE ${db} OWNER ${db};`));
    }
    for (const db of list('MY_DBS').filter(Boolean)) {
      assert.match(mariadbInit, new RegExp(`CREATE DATABASE IF NOT EXISTS \`${db}\``));
      assert.match(mariadbInit, new RegExp(`GRANT ALL PRIVILEGES ON \`${db}\`\\.\\* TO '${db}'@'%';`));
    }
    for (const store of ['postgres', 'mariadb']) {
      const mounts = (services[store].volumes as string[]).filter((v) => v.includes('docker-entrypoint-initdb.d'));
      assert.equal(mounts.length, 1, store);
      assert.ok(existsSync(join(ROOT, mounts[0]?.split(':')[0] ?? '')), mounts[0]);
    }
  });

  for (const service of SERVICES) {
    test(`${service} is built from the Dockerfile and given only settings it reads, pointing at real neighbours`, () => {
      const spec = services[service];
      assert.equal(spec.build.dockerfile, 'Dockerfile');
      assert.equal(spec.build.args.SERVICE, service);
      const env: Record<string, string> = spec.environment;
      const reads = envReadBy(service);
      for (const [name, value] of Object.entries(env)) {
        assert.ok(reads.has(name), `${service} does not read ${name}`);
        if (name.endsWith('_URL') && value.startsWith('http')) {
          const target = new URL(value);
          assert.ok(services[target.hostname], `${name} names no compose service`);
          assert.equal(Number(target.port), defaultPortOf(target.hostname), name);
        }
      }
      if (env.DATABASE_URL) {
        const url = new URL(env.DATABASE_URL);
        const init = url.protocol === 'postgres:' ? postgresInit : mariadbInit;
        assert.equal(url.hostname, url.protocol === 'postgres:' ? 'postgres' : 'mariadb');
        assert.equal(url.username, url.pathname.slice(1));
        assert.ok(init.includes(`'${url.password}'`) && init.includes(url.username), `${url.username} is provisioned`);
      }
      if (env.KAFKA_BROKERS) assert.equal(env.KAFKA_BROKERS, 'kafka:9092');
      const grace = Number.parseInt(spec.stop_grace_period, 10);
      assert.ok(grace * 1000 > shutdownGraceMs(env), 'compose waits longer than the service takes to stop');
    });
  }

  test('dependencies are awaited by health or completion, files are mounted, only the gateway is published', () => {
    for (const [name, spec] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries((spec.depends_on ?? {}) as Record<string, Doc>)) {
        if (JOBS.includes(dependency)) {
          assert.equal(condition, 'service_completed_successfully', `${name} -> ${dependency}`);
          assert.equal(services[dependency].restart, 'no', `${dependency} runs once`);
          continue;
        }
        assert.equal(condition, 'service_healthy', `${name} -> ${dependency}`);
        assert.ok(services[dependency]?.healthcheck?.test, `${dependency} has a healthcheck`);
      }
      if (name !== 'gateway') assert.equal(spec.ports, undefined, `${name} is not published`);
      for (const [key, path] of Object.entries((spec.environment ?? {}) as Record<string, string>)) {
        if (!key.endsWith('_FILE')) continue;
        const mounted = (spec.volumes ?? []).some((v: string) => path.startsWith(`${v.split(':')[1]}/`));
        assert.ok(mounted, `${name}: ${key} is in a mounted volume`);
      }
    }
    assert.deepEqual(services.gateway.ports, ['8080:8080']);
    assert.deepEqual(services.order.healthcheck.test.slice(-2), ['/app/deploy/docker/healthcheck.ts', '/health/ready']);
  });
});

describe('the GitHub workflow', () => {
  const workflow = readYaml('.github/workflows/ci.yml');
  const steps: Doc[] = workflow.jobs.test.steps;
  const uses = (action: string) => steps.find((s) => s.uses?.startsWith(`${action}@`));

  test('tests on Node 24 with the infrastructure running and required', () => {
    assert.equal(uses('actions/setup-node').with['node-version'], 24);
    assert.equal(uses('actions/setup-java').with['java-version'], '17');
    assert.deepEqual(Object.keys(workflow.jobs.test.services).sort(), ['mariadb', 'postgres', 'redis']);
    const runs = steps.map((s) => s.run ?? '');
    const order = ['npm ci', 'bash infra/up.sh', 'npm test'].map((command) =>
      runs.findIndex((r) => r.startsWith(command)),
    );
    assert.ok(
      order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] as number))),
      `steps in order: ${order}`,
    );
    assert.equal(steps.find((s) => s.run === 'npm test').env.REQUIRE_INFRA, '1');
  });

  test('builds and pushes one image per service to GHCR after the tests pass, on pushes only', () => {
    const images = workflow.jobs.images;
    assert.equal(images.needs, 'test');
    assert.equal(images.if, "github.event_name == 'push'");
    assert.deepEqual(workflow.on.push.branches, ['main']);
    assert.equal(images.permissions.packages, 'write');
    assert.deepEqual([...images.strategy.matrix.service].sort(), SERVICES);
    const build = images.steps.find((s: Doc) => s.uses?.startsWith('docker/build-push-action@'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    assert.equal(build.with['build-args'], 'SERVICE=${{ matrix.service }}');
    assert.equal(build.with.push, true);
    const login = images.steps.find((s: Doc) => s.uses?.startsWith('docker/login-action@'));
    assert.equal(login.with.registry, 'ghcr.io');
  });
});

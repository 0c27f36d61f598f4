import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { infraMissing } from '@12street/testkit';
import { startBaseline } from './baseline/baseline.ts';
import { type ProfiledProcess, profileHotPath } from './profile/profileRun.ts';
import { progress } from './progress.ts';
import { measureOnce, type RepeatResult } from './repeat.ts';
import { machine, type RunMeta, summarise } from './report/summary.ts';
import { RESULTS_DIR, renderAgain, runStamp, writeReport } from './report/write.ts';
import { cleanupScope } from './support/scope.ts';
import { round } from './support/stats.ts';
import { startClusterSystem } from './sut/cluster.ts';
import { startEmbedded } from './sut/embedded.ts';

const HELP = `npm run bench -- [options]
  --mode cluster|embedded   default: cluster when infra/up.sh's infrastructure answers, else embedded
  --quick                   5 s phases, one run (about a minute embedded); never replaces results/latest-*
  --repeat N                runs to take the median of (default 3, --quick 1)
  --seconds S               length of each load phase (default 10, --quick 5)
  --connections C           closed-loop connections (default 32)
  --profile                 finish with a CPU profile of the services at saturation
  --log-level L             the services' LOG_LEVEL (default info)
  --render FILE.json        only write FILE.md and FILE.svg again from a result`;

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    quick: { type: 'boolean', default: false },
    repeat: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    render: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (values.render) {
  process.stdout.write(`${renderAgain(values.render).join('\n')}\n`);
  process.exit(0);
}
const quick = values.quick ?? false;
const repeat = Number(values.repeat ?? (quick ? 1 : 3));
const seconds = Number(values.seconds ?? (quick ? 5 : 10));
const connections = Number(values.connections ?? 32);
const logLevel = values['log-level'] ?? 'info';
const infraUp = async () => !(await infraMissing('kafka', 'postgres', 'mysql', 'redis').catch(() => 'missing'));
const mode = values.mode ?? ((await infraUp()) ? 'cluster' : 'embedded');
if (mode !== 'cluster' && mode !== 'embedded') throw new Error(`--mode must be cluster or embedded, not ${mode}`);

const startedAt = new Date();
const stamp = runStamp(startedAt);
const scope = cleanupScope();
process.once('SIGINT', () => void scope.close().then(() => process.exit(130)));
const perRepeat = 3 + seconds / 2 + seconds + 3 * (seconds + 4) + seconds + (mode === 'cluster' ? 25 : 4) + 8;
const bar = progress((mode === 'cluster' ? 45 : 5) + repeat * perRepeat + (values.profile ? seconds + 25 : 0));

try {
  bar.phase(`starting the system (${mode} mode) and the baseline gateway`, mode === 'cluster' ? 45 : 5);
  const sut = mode === 'cluster' ? await startClusterSystem(scope) : await startEmbedded(scope, logLevel);
  const baseline = await startBaseline(scope, sut.identityUrl, logLevel);
  const runs: RepeatResult[] = [];
  for (let i = 0; i < repeat; i++) {
    runs.push(await measureOnce(sut, { seconds, connections, baseline }, bar));
  }
  let profile: ProfiledProcess[] = [];
  if (values.profile) {
    const dir = join(RESULTS_DIR, 'runs', `${stamp}-${mode}-profiles`);
    profile = await profileHotPath(sut, { seconds, connections, dir }, bar);
  }
  bar.stop();
  const meta: RunMeta = {
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    repeat,
    phaseSeconds: seconds,
    connections,
    quick,
    logLevel,
    machine: machine(),
    notes: [
      'Auth is on: every request carries an ops access token (OAuth client_credentials) that the gateway verifies (ES256 via JWKS); tokens are renewed before they expire.',
      'Gateway rate limits are raised to 10^9 a minute (RATE_LIMIT_PER_IDENTITY, _PER_IP, _TOKEN_PER_IP) for the system and the baseline gateway, so they never refuse the load.',
      `The load generator runs in its own process on the same machine, sharing its ${machine().cpus} CPUs with the system.`,
      mode === 'cluster'
        ? 'Distributed mode: one process per service, a Kafka broker of its own, fresh PostgreSQL/MariaDB databases and a Redis key prefix; production circuit-breaker settings. The database servers are machine services shared with whatever else runs here.'
        : 'Embedded mode: all services in one process on SQLite files, in-process events.',
    ],
  };
  const report = summarise(meta, runs, profile);
  const files = writeReport(report, stamp);
  const m = report.median;
  process.stdout.write(
    `\nbench (${mode}): ${round(m.saturation.placedPerSecond)} orders/s at saturation, ` +
      `baseline ${round(m.baseline.requestsPerSecond)} req/s (orders ${round(m.ratio.placedToBaseline * 100)}% of it, ` +
      `mix requests ${round(m.ratio.requestsToBaseline * 100)}%); POST /orders p99 at 50% load ` +
      `${round(m.open[1]?.placeLatencyMs.p99 ?? Number.NaN)} ms\n${files.map((f) => `  ${f}`).join('\n')}\n`,
  );
} catch (error) {
  bar.stop();
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await scope.close();
}

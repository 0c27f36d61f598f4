import { connect } from 'node:net';

/** Where the real infrastructure listens; CI starts it with infra/up.sh. */
export const INFRA = {
  kafka: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  postgres: process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.MYSQL_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

const reachable = (hostPort: string) =>
  new Promise<boolean>((resolve) => {
    const [host, port] = hostPort.split(':');
    const socket = connect({ host, port: Number(port), timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

const hostPortOf = (url: string) => new URL(url).host;

/**
 * The reason to skip infrastructure tests, or undefined when everything answers. With
 * REQUIRE_INFRA=1 (CI) a missing piece is a failure, never a skip.
 */
export async function infraMissing(...needs: (keyof typeof INFRA)[]): Promise<string | undefined> {
  const missing: string[] = [];
  for (const need of needs) {
    const target = need === 'kafka' ? (INFRA.kafka.split(',')[0] ?? '') : hostPortOf(INFRA[need]);
    if (!(await reachable(target))) missing.push(`${need} (${target})`);
  }
  if (missing.length === 0) return undefined;
  const reason = `infrastructure not reachable: ${missing.join(', ')} — run infra/up.sh`;
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`${reason} (REQUIRE_INFRA=1: this is a failure, not a skip)`);
  return reason;
}

import { connect } from 'node:net';

export const BOOTSTRAP = process.env.KAFKA_BOOTSTRAP ?? '127.0.0.1:9092';

const answers = (address: string, timeoutMs = 1_000) =>
  new Promise<boolean>((resolve) => {
    const [host, port] = address.split(':');
    const socket = connect({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

/**
 * Why the Kafka tests cannot run here, or undefined when they can. With REQUIRE_INFRA=1 (CI) an
 * unreachable broker is a failure, not a skip.
 */
export async function brokerSkipReason(): Promise<string | undefined> {
  if (await answers(BOOTSTRAP)) return undefined;
  const reason = `Kafka is not reachable at ${BOOTSTRAP} (start it with infra/up.sh)`;
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`REQUIRE_INFRA=1: ${reason}`);
  return reason;
}

/** A broker of the test's own, so stopping it disturbs no one. */
export { ownKafkaBroker as ownBroker } from '@12street/testkit';

import type { StreetEvent } from '@12street/contracts';
import type { EventContext } from '@12street/platform';
import { compatibilityPartitioner, Producer, stringSerializers } from '@platformatic/kafka';
import { toWireMessage, type WireMessage } from './wire.ts';

export type Publisher = {
  /** Connects and obtains the idempotent producer id, so the first publish does not pay for it. */
  connect(topics: string[]): Promise<void>;
  /** Resolves once the broker acknowledged every event (acks=all); rejects otherwise. */
  publish(events: readonly StreetEvent[], contexts?: ReadonlyMap<string, EventContext>): Promise<void>;
  /** The same for records already shaped (dead letters). */
  send(messages: readonly WireMessage[]): Promise<void>;
  close(): Promise<void>;
  /** Has open connections to the broker right now (the broker drops idle ones after 10 minutes). */
  readonly connected: boolean;
  /** Connected at start and the last publish, if any, succeeded: the readiness signal. */
  readonly healthy: boolean;
};

export function createPublisher(options: {
  bootstrapBrokers: string[];
  clientId: string;
  topicPrefix?: string;
  /** Bounded on purpose: a failed publish must reach the outbox relay, which keeps the row and retries. */
  retries?: number;
  /** A send that takes longer than this is given up and the producer replaced. */
  sendTimeoutMs?: number;
}): Publisher {
  const sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
  const newProducer = () =>
    new Producer({
      clientId: `${options.clientId}-producer`,
      bootstrapBrokers: options.bootstrapBrokers,
      serializers: stringSerializers,
      // Idempotent implies acks=all and one request in flight per broker, so broker-side retries keep order.
      idempotent: true,
      // The library's own default would retry forever (MAX_SAFE_INTEGER) for an idempotent producer.
      retries: options.retries ?? 3,
      retryDelay: 250,
      // murmur2 like the Java client, so a key lands on the same partition whoever produced it.
      partitioner: compatibilityPartitioner,
    });
  let producer = newProducer();
  let closed: Promise<void> | undefined;
  let healthy = false;

  const send = async (messages: readonly WireMessage[]) => {
    if (messages.length === 0) return;
    const sending = producer;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sending.send({ messages: [...messages] }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`send not acknowledged within ${sendTimeoutMs} ms`)),
            sendTimeoutMs,
          );
        }),
      ]);
      healthy = true;
    } catch (error) {
      healthy = false;
      // After a broker outage the client can be left waiting on connections that will never
      // answer; a fresh producer (a new idempotent session) is the reliable way back.
      if (producer === sending && !closed) {
        producer = newProducer();
        sending.close().catch(() => {});
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    get connected() {
      return !closed && producer.isConnected();
    },
    get healthy() {
      return !closed && healthy;
    },
    async connect(topics) {
      await producer.metadata({ topics });
      await producer.initIdempotentProducer({});
      healthy = true;
    },
    publish: (events, contexts) =>
      send(events.map((event) => toWireMessage(event, options.topicPrefix, contexts?.get(event.eventId)))),
    send,
    close() {
      closed ??= producer.close();
      return closed;
    },
  };
}

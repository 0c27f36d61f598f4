import type { StreetEvent } from '@12street/contracts';
import { compatibilityPartitioner, Producer, stringSerializers } from '@platformatic/kafka';
import { toWireMessage } from './wire.ts';

export type Publisher = {
  /** Connects and obtains the idempotent producer id, so the first publish does not pay for it. */
  connect(topics: string[]): Promise<void>;
  /** Resolves once the broker acknowledged every event (acks=all); rejects otherwise. */
  publish(events: readonly StreetEvent[]): Promise<void>;
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
}): Publisher {
  const producer = new Producer({
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
  let closed: Promise<void> | undefined;
  let healthy = false;

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
    async publish(events) {
      if (events.length === 0) return;
      try {
        await producer.send({ messages: events.map((event) => toWireMessage(event, options.topicPrefix)) });
        healthy = true;
      } catch (error) {
        healthy = false;
        throw error;
      }
    },
    close() {
      closed ??= producer.close();
      return closed;
    },
  };
}

import { parseStreetEvent, type StreetEvent } from '@12street/contracts';
import type { Logger } from 'pino';
import type { Clock } from '../ports.ts';
import type { DeadLetter, DeadLetterPage, DeadLetterStore } from './deadLetters.ts';
import type { InboxOutcome } from './inbox.ts';
import { errorText, type NewDeadLetter } from './transport.ts';

/** Runs one policy on an event, through its inbox, as a subscription would. */
export type PolicyRun = (event: StreetEvent) => Promise<InboxOutcome>;

export class DeadLetterNotFound extends Error {
  override readonly name = 'DeadLetterNotFound';
}

/** The letter cannot be redriven however often it is tried: unreadable, or no such policy any more. */
export class DeadLetterNotRedrivable extends Error {
  override readonly name = 'DeadLetterNotRedrivable';
}

/** The policy failed again; the letter stays parked. */
export class RedriveFailed extends Error {
  override readonly name = 'RedriveFailed';
  readonly deadLetter: DeadLetter;
  constructor(deadLetter: DeadLetter, cause: unknown) {
    super(errorText(cause), { cause });
    this.deadLetter = deadLetter;
  }
}

export type RedriveResult = {
  /** already-redriven: nothing was run. */
  outcome: 'redriven' | 'already-redriven';
  /** What the policy's inbox said: duplicate when it had been processed after all. */
  handled?: InboxOutcome;
  deadLetter: DeadLetter;
};

export type RedriveAllResult = {
  redriven: number;
  failed: { id: number; error: string }[];
  /** Left parked because an earlier letter of the same order failed, so the order's events stay in order. */
  held: number[];
};

export type DeadLetterDesk = ReturnType<typeof deadLetterDesk>;

/**
 * A service's dead letters: parking what its subscriptions gave up on, listing them, and redriving
 * one or all of them through the same policy (and so the same inbox) once the cause is fixed.
 */
export function deadLetterDesk(options: {
  store: DeadLetterStore;
  /** By policy name: the dead letters' consumer. */
  policies: ReadonlyMap<string, PolicyRun>;
  logger: Logger;
  clock?: Clock;
  onParked?(letter: NewDeadLetter): void;
}) {
  const { store, policies, logger } = options;
  const clock = options.clock ?? (() => new Date());

  const redrive = async (id: number): Promise<RedriveResult> => {
    const letter = await store.find(id);
    if (!letter) throw new DeadLetterNotFound(`no dead letter ${id}`);
    if (letter.redrivenAt !== null) return { outcome: 'already-redriven', deadLetter: letter };
    const policy = policies.get(letter.consumer);
    if (!policy) throw new DeadLetterNotRedrivable(`no policy "${letter.consumer}" in this service to redrive it`);
    let event: StreetEvent;
    try {
      event = parseStreetEvent(JSON.parse(letter.envelope));
    } catch (error) {
      throw new DeadLetterNotRedrivable(`the parked message is not a valid event: ${errorText(error)}`);
    }
    let handled: InboxOutcome;
    try {
      handled = await policy(event);
    } catch (error) {
      await store.failedAgain(id, errorText(error));
      logger.warn(
        { err: error, deadLetter: id, consumer: letter.consumer, orderId: letter.orderId },
        'redrive failed; still parked',
      );
      throw new RedriveFailed((await store.find(id)) ?? letter, error);
    }
    await store.markRedriven(id, clock());
    logger.info(
      { deadLetter: id, consumer: letter.consumer, orderId: letter.orderId, handled },
      'dead letter redriven',
    );
    return { outcome: 'redriven', handled, deadLetter: (await store.find(id)) ?? letter };
  };

  return {
    async park(letter: NewDeadLetter) {
      await store.park(letter, clock());
      options.onParked?.(letter);
      logger.error(
        {
          consumer: letter.consumer,
          eventId: letter.eventId,
          orderId: letter.orderId,
          source: letter.source,
          attempts: letter.attempts,
        },
        `event parked as a dead letter: ${letter.error}`,
      );
    },
    page: (request: DeadLetterPage) => store.page(request),
    find: (id: number) => store.find(id),
    countParked: () => store.countParked(),
    redrive,
    /** Every parked letter, oldest first; one order's letters stop at its first failure. */
    async redriveAll(batchSize = 500): Promise<RedriveAllResult> {
      const result: RedriveAllResult = { redriven: 0, failed: [], held: [] };
      const blockedOrders = new Set<number>();
      for (const letter of await store.parked(batchSize)) {
        if (letter.orderId !== null && blockedOrders.has(letter.orderId)) {
          result.held.push(letter.id);
          continue;
        }
        try {
          await redrive(letter.id);
          result.redriven++;
        } catch (error) {
          if (letter.orderId !== null) blockedOrders.add(letter.orderId);
          result.failed.push({ id: letter.id, error: errorText(error) });
        }
      }
      return result;
    },
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { partitionLane } from '../src/partitionLane.ts';

type Item = { offset: bigint };
const item = (offset: number): Item => ({ offset: BigInt(offset) });

function lane(process: (item: Item) => Promise<void> = async () => {}) {
  const completed: number[] = [];
  let left = 0;
  const it = partitionLane<Item>({
    backoff: { baseMs: 5, maxMs: 10 },
    process,
    completed: async (i) => void completed.push(Number(i.offset)),
    failed: () => {},
    left: (count) => {
      left += count;
    },
  });
  return { it, completed, left: () => left };
}

test('offsets already queued are ignored, as when the library fetches a partition again after a rebalance', async () => {
  const { it, completed } = lane();
  assert.equal(it.enqueue(item(0)), true);
  assert.equal(it.enqueue(item(1)), true);
  assert.equal(it.enqueue(item(1)), false);
  assert.equal(it.enqueue(item(0)), false);
  assert.equal(it.enqueue(item(2)), true);
  await eventually(() => completed.length === 3);
  assert.deepEqual(completed, [0, 1, 2]);
});

test('closing drops what waits, counts it as left, and lets the item in flight finish and complete', async () => {
  let finish: (() => void) | undefined;
  const { it, completed, left } = lane(
    (i) =>
      new Promise<void>((resolve) => {
        if (i.offset === 0n) finish = resolve;
        else resolve();
      }),
  );
  it.enqueue(item(0));
  it.enqueue(item(1));
  it.enqueue(item(2));
  await eventually(() => finish, { what: 'the first item in flight' });
  const closed = it.close();
  assert.equal(left(), 3);
  finish?.();
  await closed;
  assert.deepEqual(completed, [0]);
  assert.equal(it.enqueue(item(3)), false);
});

test('closing gives up on an item that keeps failing, without completing it', async () => {
  let attempts = 0;
  const { it, completed } = lane(async () => {
    attempts++;
    throw new Error('still failing');
  });
  it.enqueue(item(0));
  await eventually(() => attempts >= 2 && it.retrying);
  await it.close();
  assert.deepEqual(completed, []);
});

test('a new lane for the same partition starts only after the previous one finished', async () => {
  let finishOld: (() => void) | undefined;
  const order: string[] = [];
  const old = partitionLane<Item>({
    backoff: { baseMs: 5, maxMs: 10 },
    process: () =>
      new Promise<void>((resolve) => {
        finishOld = () => {
          order.push('old');
          resolve();
        };
      }),
    completed: async () => {},
    failed: () => {},
    left: () => {},
  });
  old.enqueue(item(0));
  await eventually(() => finishOld, { what: 'the old lane in flight' });
  const oldClosed = old.close();
  const next = partitionLane<Item>({
    backoff: { baseMs: 5, maxMs: 10 },
    process: async () => void order.push('new'),
    completed: async () => {},
    failed: () => {},
    left: () => {},
    after: oldClosed,
  });
  next.enqueue(item(0));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(order, []);
  finishOld?.();
  await eventually(() => order.length === 2);
  assert.deepEqual(order, ['old', 'new']);
});

test('a lane tells when it last moved while it has work, and nothing once idle', async () => {
  let finish: (() => void) | undefined;
  const { it, completed } = lane(
    (i) =>
      new Promise<void>((resolve) => {
        if (i.offset === 0n) finish = resolve;
        else resolve();
      }),
  );
  assert.equal(it.movedAt, undefined);
  const before = Date.now();
  it.enqueue(item(0));
  it.enqueue(item(1));
  await eventually(() => finish, { what: 'the first item in flight' });
  const busySince = it.movedAt ?? 0;
  assert.ok(busySince >= before);
  finish?.();
  await eventually(() => completed.length === 2);
  assert.equal(it.movedAt, undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '@12street/testkit';
import { createBreaker, DependencyUnavailable, HttpStatusError, isServerSideFailure } from '../src/index.ts';

const settings = { timeoutMs: 50, failureRatio: 0.5, windowSize: 4, minimumCalls: 4, halfOpenAfterMs: 100 };
const fail = async () => {
  throw new Error('connection refused');
};

test('the breaker opens once enough calls failed, then refuses without calling', async () => {
  const breaker = createBreaker('dep', settings);
  for (let i = 0; i < 4; i++) await assert.rejects(breaker.call(fail), DependencyUnavailable);
  assert.equal(breaker.state, 'open');
  let called = false;
  await assert.rejects(
    breaker.call(async () => {
      called = true;
    }),
    (e: DependencyUnavailable) => e.reason === 'circuit-open',
  );
  assert.equal(called, false);
});

test('a call slower than the timeout is aborted and counts as a failure', async () => {
  const breaker = createBreaker('dep', settings);
  let aborted = false;
  await assert.rejects(
    breaker.call(
      (signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    ),
    (e: DependencyUnavailable) => e.reason === 'timeout',
  );
  assert.equal(aborted, true);
});

test('after the cool-down one trial call goes through and a success closes the circuit', async () => {
  const breaker = createBreaker('dep', settings);
  for (let i = 0; i < 4; i++) await assert.rejects(breaker.call(fail));
  assert.equal(breaker.state, 'open');
  await eventually(
    async () => {
      try {
        return await breaker.call(async () => 'ok');
      } catch {
        return undefined;
      }
    },
    { what: 'half-open trial', timeoutMs: 2000 },
  );
  assert.equal(breaker.state, 'closed');
});

test("a dependency's 4xx answer is its word, not its failure, and keeps the circuit closed", async () => {
  const breaker = createBreaker('dep', settings, isServerSideFailure);
  const refuse = async () => {
    throw new HttpStatusError(409, { title: 'refused' }, 'http://dep');
  };
  for (let i = 0; i < 6; i++) await assert.rejects(breaker.call(refuse), HttpStatusError);
  assert.equal(breaker.state, 'closed');
});

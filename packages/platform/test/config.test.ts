import assert from 'node:assert/strict';
import { test } from 'node:test';
import Type from 'typebox';
import { ConfigError, readConfig } from '../src/index.ts';

const Schema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  NAME: Type.String({ default: 'x' }),
});

test('configuration converts environment strings and fills defaults', () => {
  assert.deepEqual(readConfig(Schema, { PORT: '9000', OTHER: 'ignored' }), { PORT: 9000, NAME: 'x' });
  assert.deepEqual(readConfig(Schema, {}), { PORT: 8080, NAME: 'x' });
});

test('invalid configuration stops the start with a message naming the setting', () => {
  assert.throws(
    () => readConfig(Schema, { PORT: 'eighty' }),
    (e: ConfigError) => e.message.includes('PORT'),
  );
  assert.throws(() => readConfig(Schema, { PORT: '70000' }), ConfigError);
});

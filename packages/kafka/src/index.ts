export * from './consumerGroup.ts';
export * from './deadLetters.ts';
export * from './publisher.ts';
export * from './replay.ts';
export * from './topics.ts';
export * from './transport.ts';
export * from './wire.ts';

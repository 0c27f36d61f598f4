export * from './api/index.ts';
export * from './events.ts';

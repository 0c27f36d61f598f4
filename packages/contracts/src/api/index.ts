export * from './deliveries.ts';
export * from './fields.ts';
export * from './orderStatus.ts';
export * from './orders.ts';
export * from './payments.ts';
export * from './ports.ts';
export * from './promotes.ts';
export * from './statuses.ts';

export * from './breakerConfig.ts';
export * from './runService.ts';

export * from './cluster.ts';
export * from './identitySecrets.ts';

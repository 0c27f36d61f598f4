import type { Client } from '../domain/account.ts';
import type { SetupDeps } from './ports.ts';

/** Makes sure a machine client exists with this secret: the configuration is its source of truth. */
export function provisionClient(deps: SetupDeps) {
  return async (client: Client, secret: string): Promise<void> => {
    const secretHash = await deps.secrets.hash(secret);
    await deps.inTransaction((tx) => deps.store.saveClient(tx, { ...client, secretHash }));
  };
}

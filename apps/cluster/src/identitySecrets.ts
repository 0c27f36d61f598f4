import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A local cluster's token-signing key and ops client secret, made once and kept (mode 0600) in a
 * directory of the caller's, so tokens stay valid across restarts. Production takes both from a
 * secret store instead (see docs/operations.md).
 */
export function localIdentitySecrets(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const signingKeyFile = join(dir, 'identity-signing-key.pem');
  if (!existsSync(signingKeyFile)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(signingKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  const secretFile = join(dir, 'ops-client-secret');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  return { signingKeyFile, opsClientId: 'local-ops', opsClientSecret: readFileSync(secretFile, 'utf8').trim() };
}

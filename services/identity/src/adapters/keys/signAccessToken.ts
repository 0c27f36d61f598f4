import { SignJWT } from 'jose';
import type { SignToken } from '../../application/ports.ts';
import type { KeyRing } from './keyRing.ts';

/** Signs with the ring's newest key; `typ` marks it an access token (RFC 9068), not an ID token. */
export function signAccessToken(keys: () => KeyRing): SignToken {
  return (claims) => {
    const { signing } = keys();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'at+jwt' })
      .sign(signing.privateKey);
  };
}

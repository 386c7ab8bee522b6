import { createPrivateKey, type JsonWebKey, type KeyObject, type webcrypto } from 'node:crypto';

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** The WebCrypto algorithm a private key signs with in a JWT: RS256, ES256/384/512 or EdDSA (Ed25519). */
function algorithmOf(
  key: KeyObject,
): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'ec': {
      const namedCurve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (!namedCurve) throw new Error(`unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve}`);
      return { name: 'ECDSA', namedCurve };
    }
    case 'ed25519':
      return { name: 'Ed25519' };
    default:
      throw new Error(
        `unsupported key type ${key.asymmetricKeyType}: use RSA, EC (P-256/384/521) or Ed25519`,
      );
  }
}

/** A private key from a PEM or a JWK, as a non-extractable WebCrypto signing key; throws when unreadable. */
export function readPrivateKey(key: string | Record<string, unknown>): webcrypto.CryptoKey {
  const object =
    typeof key === 'string'
      ? createPrivateKey(key)
      : createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
  if (object.type !== 'private') throw new Error('not a private key');
  return object.toCryptoKey(algorithmOf(object), false, ['sign']);
}

/** Why a private key cannot be used, or undefined when it can. */
export function privateKeyProblem(key: string | Record<string, unknown>): string | undefined {
  try {
    readPrivateKey(key);
    return undefined;
  } catch (error) {
    return `not a usable private key (${(error as Error).message.split('\n')[0]})`;
  }
}

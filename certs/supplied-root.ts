import { createPrivateKey, createPublicKey, KeyObject, webcrypto } from 'node:crypto';
import type { Party } from './keys.js';
import { SubjectKeyIdentifierExtension, X509Certificate } from './x509.js';

/** A root the user brings (a client CA their listener already trusts), in place of the harness's own. */
export interface SuppliedRoot {
  readonly party: Party;
  readonly pem: string;
  readonly serialNumber: string;
}

function signingParams(key: KeyObject): webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const named = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!named) throw new Error(`the CA key is on curve ${curve ?? 'unknown'}: expected P-256, P-384 or P-521 (or RSA)`);
    return { name: 'ECDSA', namedCurve: named };
  }
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  throw new Error(`the CA key is ${key.asymmetricKeyType ?? 'of an unknown type'}: expected an EC or RSA key`);
}

/**
 * Reads a CA certificate and its private key (PEM; PKCS#8, SEC1 or PKCS#1). Throws with one line
 * when the certificate is no CA, has expired, or the key is not its key: issuing under it would
 * produce identities the listener rejects, and the run would blame the listener.
 */
export async function readSuppliedRoot(certPem: string, keyPem: string, now: Date): Promise<SuppliedRoot> {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new Error('the CA certificate is not a PEM certificate');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    throw new Error('the CA key is not a PEM private key (or it is encrypted: give it decrypted, in a file only this job can read)');
  }
  const certSpki = createPublicKey(cert.toString('pem')).export({ type: 'spki', format: 'der' });
  if (!createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).equals(certSpki)) throw new Error('the CA key does not belong to the CA certificate');
  const constraints = cert.getExtension('2.5.29.19') as { ca?: boolean } | null;
  if (constraints?.ca !== true) throw new Error('the CA certificate is no CA (basicConstraints CA:TRUE is missing)');
  if (cert.notAfter < now || cert.notBefore > now) throw new Error(`the CA certificate is not valid now (${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`);
  const params = signingParams(privateKey);
  const [priv, pub] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), params, true, ['sign']),
    webcrypto.subtle.importKey('spki', certSpki, params, true, ['verify']),
  ]);
  // What the certificates it issues carry as AKI must be its own SKI.
  const ski = cert.getExtension(SubjectKeyIdentifierExtension);
  const keyId: string = ski ? ski.keyId : Buffer.from(await cert.publicKey.getKeyIdentifier('SHA-1')).toString('hex');
  const pem = `${cert.toString('pem')}\n`;
  return { party: { name: cert.subject, keys: { privateKey: priv, publicKey: pub }, keyId }, pem, serialNumber: cert.serialNumber };
}

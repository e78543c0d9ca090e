// Types for revocation.mjs, so TypeScript tests can import it under strict settings.
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { CertID } from '@peculiar/asn1-ocsp';
import type { Env } from './secure.mjs';
import type { CheckResult } from './signatures.mjs';

export function ocspUrlOf(cert: X509Certificate): string | undefined;
export function certIdOf(leafDer: Uint8Array, issuerDer: Uint8Array): CertID;
export function ocspRequestDer(certId: CertID): Buffer;
export function ocspStatus(responseDer: Uint8Array, certId: CertID, issuerDer: Uint8Array, now?: Date): 'good' | 'revoked' | 'unknown';
export function ocspCheck(env: Env, timeoutMs?: number): (socket: TLSSocket) => Promise<CheckResult>;

// Types for secure.mjs, so TypeScript tests can import it under strict settings.
import type { Server, ServerOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';

export type Env = Readonly<Record<string, string | undefined>>;
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;
export type Rejection = { ok: false; status: number; reason: string };
export type CheckResult = { ok: true } | Rejection;

export interface ListenerConfig {
  host: string;
  port: number;
  webhookPath: string;
  mutualTls: boolean;
  allowedSubject: Array<[string, string]> | undefined;
  profile: 'standard-webhooks' | 'none';
  secret: string | undefined;
  toleranceSeconds: number;
  eventsFile: string | undefined;
}

export interface VerifyInput {
  headers: RequestHeaders;
  body: Uint8Array;
  secret: string;
  toleranceSeconds: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

export interface SignatureInput {
  id: string;
  timestamp: string;
  body: Uint8Array;
  secret: string;
  signatureHeader: string;
}

export interface ListenerOverrides {
  tlsOptions?: (env: Env) => ServerOptions;
  checkClient?: (socket: TLSSocket, config: ListenerConfig) => CheckResult;
  verify?: (input: VerifyInput) => CheckResult;
}

export const MAX_BODY_BYTES: number;
export const PROFILES: readonly string[];
export class ConfigError extends Error {}
/** One PEM block per CRL: Node loads only the first CRL of a concatenated PEM string. */
export function splitCrls(pem: string): string[];
export function tlsOptions(env: Env): ServerOptions;
export function parseSubject(text: string): Array<[string, string]>;
export function decodeSecret(secret: string): Buffer;
export function readConfig(env: Env): ListenerConfig;
export function reject(status: number, reason: string): Rejection;
export function checkClient(socket: TLSSocket, config: ListenerConfig): CheckResult;
export function headerValue(headers: RequestHeaders, name: string): string | undefined;
export function unixNow(): number;
export function signatureMatches(input: SignatureInput): boolean;
export function verifyStandardWebhooks(input: VerifyInput): CheckResult;
export function createListener(env: Env, overrides?: ListenerOverrides): { server: Server; config: ListenerConfig };
export function runListener(env: Env, overrides?: ListenerOverrides): void;

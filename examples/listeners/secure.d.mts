// Types for secure.mjs, so TypeScript tests can import it under strict settings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server, ServerOptions } from 'node:https';
import type { Server as NetServer } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CheckResult, DeliveryInput, RequestHeaders, Scheme, VerificationKey } from './signatures.mjs';

export { ConfigError, decodeSecret, headerValue, PROFILES, reject, unixNow } from './signatures.mjs';
export type { CheckResult, Rejection, RequestHeaders } from './signatures.mjs';
export type Env = Readonly<Record<string, string | undefined>>;

export interface ListenerConfig {
  host: string;
  port: number;
  webhookPath: string;
  mutualTls: boolean;
  allowedSubject: Array<[string, string]> | undefined;
  profile: string;
  signing: { scheme: Scheme; key: VerificationKey } | undefined;
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

export interface ReplayStore {
  has(id: string): boolean;
  /** True the first time an id is seen. */
  firstTime(id: string): boolean;
}

export interface Handling {
  dedupeBeforeVerify: boolean;
  processBeforeVerify: boolean;
}

export interface ListenerOverrides {
  tlsOptions?: (env: Env) => ServerOptions;
  /** `request` carries the headers, for checks that (wrongly) believe them. */
  checkClient?: (socket: TLSSocket, config: ListenerConfig, request?: IncomingMessage) => CheckResult;
  /** The connection's revocation check (OCSP), after checkClient. */
  checkRevocation?: (socket: TLSSocket) => Promise<CheckResult>;
  /** What listens in front of the https server (the flawed listener's plain-HTTP door). */
  wrapServer?: (server: Server, onRequest: (req: IncomingMessage, res: ServerResponse) => void) => NetServer;
  verify?: (input: DeliveryInput) => CheckResult;
  replayStore?: ReplayStore;
  handling?: Handling;
  /** Reads the raw body; undefined once it is too large. */
  readBody?: (request: IncomingMessage) => Promise<Buffer | undefined>;
}

export const MAX_BODY_BYTES: number;
export const REPLAY_STORE_SIZE: number;
export const SERVER_TIMEOUTS: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
export const SECURE_HANDLING: Handling;
/** One PEM block per CRL: Node loads only the first CRL of a concatenated PEM string. */
export function splitCrls(pem: string): string[];
export function tlsOptions(env: Env): ServerOptions;
export function parseSubject(text: string): Array<[string, string]>;
export function readConfig(env: Env): ListenerConfig;
export function checkClient(socket: TLSSocket, config: ListenerConfig): CheckResult;
export function verifyStandardWebhooks(input: VerifyInput): CheckResult;
export function createReplayStore(size?: number): ReplayStore;
export function createListener(env: Env, overrides?: ListenerOverrides): { server: NetServer; config: ListenerConfig };
export function runListener(env: Env, overrides?: ListenerOverrides): void;

// Types for connection-flaws.mjs, so TypeScript tests can import it under strict settings.
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import type { Env, ListenerOverrides } from './secure.mjs';
import type { ServerOptions } from 'node:https';

export type ConnectionFlaw =
  | 'accept-any-cert'
  | 'no-crl'
  | 'optional-client-cert'
  | 'trust-proxy-headers'
  | 'trust-resumed-sessions'
  | 'own-verification'
  | 'node-default-tls'
  | 'legacy-tls'
  | 'tls1.3-only'
  | 'no-tls1.3'
  | 'no-subject-pinning'
  | 'unanchored-subject'
  | 'plain-http-too'
  | 'authorize-connection-once'
  | 'no-ocsp';

export const CONNECTION_FLAWS: readonly ConnectionFlaw[];
export function plainHttpToo(tlsServer: Server, onRequest: (req: IncomingMessage, res: ServerResponse) => void): NetServer;
export function connectionFlawOverrides(flaws: ReadonlySet<string>, secureTlsOptions: (env: Env) => ServerOptions): ListenerOverrides;

import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';

/** What makes a client's secure context: its trust anchor, its certificate and key, its offer. */
export type ClientContextOptions = Pick<SecureContextOptions, 'ca' | 'cert' | 'key' | 'minVersion' | 'maxVersion' | 'ciphers' | 'sigalgs'>;

// For the worker's life, one per distinct set of options (an identity and an offer): a context made
// per connection parses every PEM in it again, a fifth of the worker's CPU in a default run (measured).
const contexts = new Map<string, SecureContext>();

/** The secure context for `options`, made once. A context holds no session: each connection's is
 * its own (`session` on the connection). */
export function secureContextFor(options: ClientContextOptions): SecureContext {
  const key = JSON.stringify([options.ca, options.cert, options.key, options.minVersion, options.maxVersion, options.ciphers, options.sigalgs]);
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(options);
    contexts.set(key, context);
  }
  return context;
}

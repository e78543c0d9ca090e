import { connect, type ConnectionOptions } from 'node:tls';

/**
 * The TLS session a listener grants to one handshake made with `options`, or undefined when it
 * refuses the handshake, closes, or grants none within `timeoutMs`. Under TLS 1.3 the session
 * ticket arrives after the handshake, so this waits for it rather than for the handshake.
 */
export function grantedSession(options: ConnectionOptions & { host: string; port: number }, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(options);
    const done = (session: Buffer | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(session);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('session', (session: Buffer) => done(session));
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
  });
}

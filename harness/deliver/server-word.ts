import type { Socket } from 'node:net';

/**
 * Under TLS 1.3 the client's side of the handshake ends before the server has judged the client
 * certificate, so a request written at once reaches a listener that may still refuse the
 * connection, and a close then cannot be told from "read the request, did something, hung up".
 * Waiting for the server's word first separates the two: a Node/OpenSSL listener sends its session
 * tickets and then, in the same turn, judges the certificate and destroys the socket; others (TLS
 * 1.2, tickets off, plain TCP) are given a short grace. Measured in `npm run bench`.
 */
/** How long a refusal may trail the server's session ticket. */
export const AFTER_TICKET_MS = 25;
/** How long a listener that sends no ticket has to refuse before the request is written. A Node
 * listener refuses without a ticket, and under load (50 connections at a time on two busy cores)
 * takes more than 300 ms to: a refusal that comes later is only a warn. */
export const NO_TICKET_GRACE_MS = 1000;

/** `closed`: the listener ended the connection (or it failed) before any request byte was
 * written, saying nothing; `open`: it still stands, or it sent data. Resolves within `graceMs`. */
export function awaitServerWord(socket: Socket, graceMs = NO_TICKET_GRACE_MS): Promise<'open' | 'closed'> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve('closed');
  return new Promise((resolve) => {
    const finish = (word: 'open' | 'closed') => {
      clearTimeout(timer);
      socket.off('session', onTicket);
      socket.off('end', onClosed);
      socket.off('close', onClosed);
      socket.off('error', onClosed);
      socket.off('readable', onSpoke);
      resolve(word);
    };
    const onTicket = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish('open'), AFTER_TICKET_MS);
    };
    const onClosed = () => finish('closed');
    // A listener that answers before it is asked (a 4xx page on connect) has spoken: the client
    // reads that answer as the response to its request.
    // 'readable' with nothing to read is the end of the stream.
    const onSpoke = () => finish(socket.readableLength > 0 ? 'open' : 'closed');
    let timer = setTimeout(() => finish('open'), graceMs);
    socket.once('session', onTicket);
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', onClosed);
    socket.on('readable', onSpoke);
  });
}

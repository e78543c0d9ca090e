import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

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

/** Listeners (origin, TLS version, resumed or not) seen in this process to send a session ticket.
 * Such a listener tickets every handshake it accepts, so one that sends none yet is still judging
 * the certificate (slowly, under load) and is waited for until it speaks or closes. */
const ticketing = new Set<string>();

export interface WordOptions {
  /** Names the listener, e.g. its origin, so what its handshakes showed is remembered. */
  listener?: string;
  /** The wait for a listener not known to send tickets. */
  graceMs?: number;
  /** The wait for a TLS 1.3 listener known to send them: the delivery's timeout. */
  patienceMs?: number;
}

/** What is remembered about a handshake's listener; undefined when nothing is worth remembering
 * (TLS 1.2 judges the certificate inside the handshake; plain TCP has no tickets). */
function ticketKey(socket: Socket, listener: string | undefined): string | undefined {
  if (!listener || !(socket instanceof TLSSocket)) return undefined;
  const protocol = socket.getProtocol();
  if (protocol !== 'TLSv1.3') return undefined;
  return `${listener} ${protocol}${socket.isSessionReused() ? ' resumed' : ''}`;
}

/** `closed`: the listener ended the connection (or it failed) before any request byte was
 * written, saying nothing; `open`: it still stands, or it sent data. Resolves within `graceMs`,
 * or `patienceMs` from a listener known to send tickets. */
export function awaitServerWord(socket: Socket, options: WordOptions = {}): Promise<'open' | 'closed'> {
  const { listener, graceMs = NO_TICKET_GRACE_MS, patienceMs = graceMs } = options;
  if (socket.destroyed || socket.readableEnded) return Promise.resolve('closed');
  const key = ticketKey(socket, listener);
  const known = () => key !== undefined && ticketing.has(key);
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
      if (key) ticketing.add(key);
      clearTimeout(timer);
      timer = setTimeout(() => finish('open'), AFTER_TICKET_MS);
    };
    const onClosed = () => finish('closed');
    // A listener that answers before it is asked (a 4xx page on connect) has spoken: the client
    // reads that answer as the response to its request.
    // 'readable' with nothing to read is the end of the stream.
    const onSpoke = () => finish(socket.readableLength > 0 ? 'open' : 'closed');
    // Asked again when the grace ends: another connection may have shown meanwhile that this
    // listener sends tickets (the first of many concurrent handshakes).
    const onGraceOver = () => (known() ? (timer = setTimeout(() => finish('open'), Math.max(0, patienceMs - graceMs))) : finish('open'));
    let timer = known() ? setTimeout(() => finish('open'), patienceMs) : setTimeout(onGraceOver, graceMs);
    socket.once('session', onTicket);
    socket.on('end', onClosed);
    socket.on('close', onClosed);
    socket.on('error', onClosed);
    socket.on('readable', onSpoke);
  });
}

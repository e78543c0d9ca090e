import { clientTlsOffer } from '../deliver/index.js';
import type { ConnectionSpec } from '../model.js';

/** The files of one delivery, as written for a repro. */
export interface DeliveryFiles {
  body: string;
  /** One `name: value` per line (curl's `-H @file`). */
  headers: string;
  /** The raw HTTP/1.1 request, for openssl s_client. */
  request: string;
  /** Absent: no client certificate. */
  cert?: string;
  key?: string;
}

/** Where the listener is and how its certificate is checked. */
export interface ReproEndpoint {
  /** `https://127.0.0.1:8443`: the address connected to. */
  origin: string;
  /** SNI and Host, as the harness sends them. */
  servername: string;
  path: string;
  /** The CA file the listener's certificate is checked against; null: not checked. */
  serverCaFile: string | null;
}

const SAFE = /^[\w@%+=:,./-]+$/;

/** A word as a POSIX shell reads it back unchanged. Pure. */
export function shellQuote(word: string): string {
  return word !== '' && SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export const commandLine = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');

const CURL_VERSION: Record<string, string> = { TLSv1: '1.0', 'TLSv1.1': '1.1', 'TLSv1.2': '1.2', 'TLSv1.3': '1.3' };

function address(endpoint: ReproEndpoint): { host: string; port: string; scheme: string } {
  const url = new URL(endpoint.origin);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (url.protocol === 'https:' ? '443' : '80'), scheme: url.protocol.slice(0, -1) };
}

/**
 * The curl command that sends exactly this delivery: same address, SNI and Host, client
 * certificate, TLS offer, headers and body bytes. It prints the HTTP status (000 when there was
 * none) and exits non-zero when the connection failed. Pure.
 */
export function curlCommand(endpoint: ReproEndpoint, files: DeliveryFiles, connection: ConnectionSpec = {}, identity: string | null = null): string[] {
  const { host, port, scheme } = address(endpoint);
  const plain = connection.scheme === 'http' || scheme === 'http';
  const offer = clientTlsOffer(connection, identity);
  const tls = plain
    ? []
    : [
        ...(endpoint.serverCaFile === null ? ['--insecure'] : ['--cacert', endpoint.serverCaFile]),
        ...(files.cert && files.key ? ['--cert', files.cert, '--key', files.key] : []),
        ...(offer.minVersion ? [`--tlsv${CURL_VERSION[offer.minVersion] ?? '1.2'}`] : []),
        ...(offer.maxVersion ? ['--tls-max', CURL_VERSION[offer.maxVersion] ?? '1.3'] : []),
        ...(offer.ciphers ? ['--ciphers', offer.ciphers] : []),
      ];
  return [
    'curl', '--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{http_code}\\n', '--max-time', '10',
    // Connect to the address while the URL, SNI and Host carry the listener's name, as the harness does.
    ...(host !== endpoint.servername ? ['--resolve', `${endpoint.servername}:${port}:${host}`] : []),
    ...tls,
    '--header', `@${files.headers}`, '--data-binary', `@${files.body}`,
    `${plain ? 'http' : 'https'}://${endpoint.servername}:${port}${endpoint.path}`,
  ];
}

/** A resumed TLS session is beyond curl: two openssl s_client calls, the first keeping the session
 * the second resumes to send the raw request. Shell lines, with their redirections. Pure. */
export function opensslResumeCommands(endpoint: ReproEndpoint, files: DeliveryFiles, session: string): string[] {
  const { host, port } = address(endpoint);
  const common = [
    'openssl', 's_client', '-quiet', '-connect', `${host}:${port}`, '-servername', endpoint.servername,
    ...(endpoint.serverCaFile === null ? [] : ['-CAfile', endpoint.serverCaFile, '-verify_return_error']),
    ...(files.cert && files.key ? ['-cert', files.cert, '-key', files.key] : []),
  ];
  return [`${commandLine([...common, '-sess_out', session])} < /dev/null`, `${commandLine([...common, '-sess_in', session, '-ign_eof'])} < ${shellQuote(files.request)}`];
}

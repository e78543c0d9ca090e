import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandLine, curlCommand, opensslResumeCommands, shellQuote } from '../../harness/cli/commands.js';

const files = { body: '/r/1-body', headers: '/r/1-headers', request: '/r/1-request.http', cert: '/r/1-client.pem', key: '/r/1-client-key.pem' };
const endpoint = { origin: 'https://127.0.0.1:8443', servername: 'localhost', path: '/webhook', serverCaFile: '/k/server-ca.pem' };

describe('repro commands', () => {
  it('quotes words so a shell reads them back unchanged', () => {
    const words = ['plain', "it's", 'two words', '%{http_code}\n', '', '$HOME', '`x`', 'a"b'];
    const echoed = execFileSync('sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    expect(echoed.split('\0').slice(0, -1)).toEqual(words);
  });

  it('curl connects to the address with the name as SNI and Host, presenting the identity', () => {
    const line = commandLine(curlCommand(endpoint, files));
    expect(line).toContain('--resolve localhost:8443:127.0.0.1 --cacert /k/server-ca.pem --cert /r/1-client.pem --key /r/1-client-key.pem');
    expect(line).toMatch(/--header @\/r\/1-headers --data-binary @\/r\/1-body https:\/\/localhost:8443\/webhook$/);
  });

  it('the TLS offer of the scenario: version, legacy ciphers, no certificate check, plain HTTP', () => {
    expect(curlCommand(endpoint, files, { tlsVersion: 'TLSv1.1' })).toEqual(expect.arrayContaining(['--tlsv1.1', '--tls-max', '1.1', '--ciphers', 'DEFAULT@SECLEVEL=0']));
    expect(curlCommand(endpoint, files, { ciphers: 'legacy-cbc' })).toEqual(expect.arrayContaining(['--tls-max', '1.2', '--ciphers', 'AES128-SHA:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA']));
    expect(curlCommand({ ...endpoint, serverCaFile: null }, files)).toContain('--insecure');
    const plain = curlCommand(endpoint, files, { scheme: 'http' });
    expect(plain.at(-1)).toBe('http://localhost:8443/webhook');
    expect(plain).not.toContain('--cert');
  });

  it('a resumed session is two openssl s_client calls sharing the session file', () => {
    const [first, second] = opensslResumeCommands(endpoint, files, '/r/1-session.pem');
    expect(first).toMatch(/^openssl s_client -quiet -connect 127\.0\.0\.1:8443 -servername localhost -CAfile \/k\/server-ca\.pem -verify_return_error -cert .* -sess_out \/r\/1-session\.pem < \/dev\/null$/);
    expect(second).toMatch(/-sess_in \/r\/1-session\.pem -ign_eof < \/r\/1-request\.http$/);
  });
});

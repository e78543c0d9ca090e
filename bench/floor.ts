import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { RunKit } from '../harness/kit/kit.js';
import { findProfile } from '../harness/profiles/index.js';
import { SERVER_NAME } from '../harness/target/index.js';

/** `count` deliveries, one after another, each on a fresh mTLS connection with the valid client
 * certificate and a valid Standard Webhooks signature: the least any client needs to send what a
 * run sends. Returns the wall time in milliseconds. */
export async function floorLoop(origin: string, path: string, kit: RunKit, count: number): Promise<number> {
  const profile = findProfile('standard-webhooks');
  if (!profile || !kit.keys) throw new Error('the floor signs with standard-webhooks');
  const tls = {
    ca: readFileSync(kit.paths.serverCa),
    cert: readFileSync(kit.paths.clientCert('valid')),
    key: readFileSync(kit.paths.clientKey('valid')),
  };
  const { hostname, port } = new URL(origin);
  const signingKey = kit.keys.signingKey;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const id = `msg_floor${i}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = Buffer.from(JSON.stringify({ type: 'invoice.paid', id, data: { amount: 1000 } }));
    const signature = profile.sign({ id, timestamp, body, signingKey }).toString(profile.encoding);
    const headers = { 'content-type': 'application/json', host: `${SERVER_NAME}:${port}`, ...profile.render({ id, timestamp, entries: [{ label: profile.label, value: signature }] }) };
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: hostname, port, servername: SERVER_NAME, method: 'POST', path, headers, agent: false, ...tls }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      });
      req.once('error', reject);
      req.end(body);
    });
    if (status < 200 || status >= 300) throw new Error(`the floor's delivery ${i} was answered ${status}`);
  }
  return performance.now() - started;
}

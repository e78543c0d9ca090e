import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { revocationUrls, type RevocationData, type RevocationUrls } from '../../certs/index.js';
import { HarnessError } from '../errors.js';
import type { Teardown } from '../teardown.js';
import { startResponder, type RevocationResponder } from './revocation-responder.js';

const RevocationFile = z.object({
  origin: z.url({ protocol: /^http$/ }),
  crlPem: z.string(),
  crls: z.record(z.string(), z.string()),
  ocsp: z.array(z.object({ issuerPem: z.string(), responderPem: z.string(), responderKeyPem: z.string(), issued: z.record(z.string(), z.string().nullable()) })),
});

async function readRevocation(file: string): Promise<RevocationData> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const checked = RevocationFile.safeParse(parsed);
  if (!checked.success) throw new HarnessError(`${file} is not a wh-conformance revocation file: write a new kit with wh-conformance certs --out`);
  return checked.data;
}

/** A run's responder, listening before its PKI is built (the certificates embed its address) and
 * stopped at teardown. */
export async function startRunResponder(teardown: Teardown): Promise<RevocationResponder> {
  const responder = await startResponder();
  teardown.add(() => responder.stop());
  return responder;
}

/** Serves the revocation data of a kit written earlier (`certs --out`) on the address its
 * certificates name, for the run's duration. */
export async function serveKitRevocation(file: string, teardown: Teardown): Promise<RevocationUrls> {
  const data = await readRevocation(file);
  const origin = new URL(data.origin);
  let responder: RevocationResponder;
  try {
    responder = await startResponder(origin.hostname, Number(origin.port));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'the port is in use (is another run using this kit?)' : (err as Error).message;
    throw new HarnessError(`cannot serve the kit's CRLs and OCSP on ${data.origin}, where its certificates point: ${reason}; stop what holds the port, or write a new kit with wh-conformance certs --out`);
  }
  teardown.add(() => responder.stop());
  responder.serve(data);
  return revocationUrls(data.origin);
}

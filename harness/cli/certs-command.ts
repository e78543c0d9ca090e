import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { ALLOWED_CLIENT_SUBJECT, buildPki, revocationUrls, writeKit } from '../../certs/index.js';
import { EVENTS_FILE, generateSecrets } from '../kit/index.js';
import { PROFILE_NAMES } from '../profiles/index.js';
import { freePort } from '../target/index.js';

/** `wh-conformance certs --out DIR`: a kit for a listener started outside the harness. */
export function certsCommand(): Command {
  return new Command('certs')
    .description('write a kit (test PKI and signing secrets) for a listener started outside the harness')
    .requiredOption('--out <dir>', 'directory to write the kit to (created with mode 0700)')
    .action(async (options: { out: string }) => {
      const dir = resolve(options.out);
      // The responder runs only during `run --certs`, on the port the certificates name.
      const revocation = revocationUrls(`http://127.0.0.1:${await freePort('127.0.0.1')}`);
      const paths = await writeKit(dir, await buildPki({ now: new Date(), revocationOrigin: revocation.origin }), generateSecrets());
      process.stdout.write(
        [
          `kit written to ${dir} (private keys inside: keep it out of version control)`,
          'point the listener at it:',
          `  WHC_SERVER_CERT_FILE=${paths.serverCert}`,
          `  WHC_SERVER_KEY_FILE=${paths.serverKey}`,
          `  WHC_CLIENT_CA_FILE=${paths.clientCa}`,
          `  WHC_CRL_FILE=${paths.crl}`,
          `  WHC_OCSP_URL=${revocation.ocsp}`,
          `  WHC_CRL_URL=${revocation.crlBundle}`,
          `  WHC_ALLOWED_CLIENT_SUBJECT=${ALLOWED_CLIENT_SUBJECT}`,
          `  WHC_PROFILE=<one of ${PROFILE_NAMES.join(', ')}>`,
          `  WHC_SIGNING_SECRET=<profiles.<name>.secret in ${paths.secrets}>`,
          `    (discord, standard-webhooks-ed25519: WHC_SIGNING_PUBLIC_KEY=<profiles.<name>.publicKey>, never the secret)`,
          `  WHC_EVENTS_FILE=${join(dir, EVENTS_FILE)} (only with --capabilities events-file)`,
          `then: wh-conformance run --url https://127.0.0.1:<port> --certs ${dir}`,
          'the CRLs are current for 7 days: write a new kit after that; OCSP and the CRL URLs answer only while run --certs runs',
          '',
        ].join('\n'),
      );
    });
}

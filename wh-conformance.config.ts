import { defineConfig } from 'wh-conformance';

// The embedded default: the secure reference listener, started by the harness with the WHC_*
// environment. `npx wh-conformance run` in this repository runs the whole matrix against it.
export default defineConfig({
  target: {
    command: 'node examples/listeners/secure.mjs',
  },
  profile: 'standard-webhooks',
  // It checks CRLs and OCSP, pins the client subject, keeps a replay store and logs each
  // processed delivery to WHC_EVENTS_FILE.
  capabilities: ['crl', 'ocsp', 'subject-pinning', 'replay-protection', 'events-file'],
});

import { defineConfig } from 'wh-conformance';

// The embedded default: the secure reference listener, started by the harness with the WHC_*
// environment. `npx wh-conformance run` in this repository runs the whole matrix against it.
export default defineConfig({
  target: {
    command: 'node examples/listeners/secure.mjs',
  },
  profile: 'standard-webhooks',
  capabilities: ['crl', 'subject-pinning'],
});

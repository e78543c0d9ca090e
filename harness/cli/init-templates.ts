import { CAPABILITIES, type Capability } from '../model.js';

/** What `wh-conformance init` writes files for. */
export interface InitAnswers {
  /** The shell command that starts the listener. */
  command: string;
  /** Signature profiles; empty when the listener checks no signature. */
  profiles: string[];
  mtls: boolean;
  capabilities: Capability[];
  /** The project installs Node packages (a package.json): the workflow runs `npm ci` first. */
  npmProject: boolean;
}

export const CONFIG_FILE = 'wh-conformance.config.ts';
export const WORKFLOW_FILE = '.github/workflows/wh-conformance.yml';
export const REPORT_DIR = 'wh-conformance-report';
/** The reports the config and the workflow ask for. */
const REPORTERS = ['html', 'junit', 'json', 'markdown'];

/** A TypeScript string literal. */
function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function profileField(profiles: readonly string[], all: readonly string[], none: string): string {
  const comment = `  // The signature scheme it verifies: ${all.join(', ')}; ${literal(none)} when it checks none.
  // Several (profiles: ['stripe', 'github']) run the signature scenarios once per scheme, restarting it.`;
  if (profiles.length > 1) return `${comment}\n  profiles: [${profiles.map(literal).join(', ')}],`;
  return `${comment}\n  profile: ${literal(profiles[0] ?? none)},`;
}

/** The commented config file. Pure. */
export function renderConfigFile(answers: InitAnswers, profileNames: readonly string[], noProfile: string): string {
  return `// wh-conformance: conformance tests for this project's webhook listener.
// Run them with \`npx wh-conformance run\`; \`npx wh-conformance list\` shows every scenario.
import { defineConfig } from 'wh-conformance';

export default defineConfig({
  target: {
    // Starts the listener (through /bin/sh, in its own process group). It gets WHC_HOST and WHC_PORT
    // to listen on, WHC_SERVER_CERT_FILE and WHC_SERVER_KEY_FILE for its TLS certificate,
    // WHC_CLIENT_CA_FILE and WHC_CRL_FILE to check client certificates, WHC_PROFILE and
    // WHC_SIGNING_SECRET to check signatures, and WHC_WEBHOOK_PATH (the README lists them all).
    command: ${literal(answers.command)},
    // How long it may take until a TLS handshake with a valid client certificate succeeds.
    readyTimeoutMs: 10000,
  },
  // Does it require client certificates? With false the mTLS scenarios are skipped.
  mtls: ${answers.mtls},
${profileField(answers.profiles, profileNames, noProfile)}
  // What it does beyond the basics: ${CAPABILITIES.join(', ')}.
  // A scenario that needs one not declared here is skipped, never passed.
  capabilities: [${answers.capabilities.map(literal).join(', ')}],
  // Reports besides the console matrix, written to outputDir: html (index.html), junit, json, markdown.
  reporters: [${REPORTERS.map(literal).join(', ')}],
  outputDir: ${literal(REPORT_DIR)},
  // Accepted gaps go in a baseline file (ids expected to fail, a note each): write one with
  // \`npx wh-conformance run --update-baseline\`, then name it here as baseline: 'wh-conformance.baseline.json'.
});
`;
}

/** Where the action runs from, and which version: the installed one. */
export interface WorkflowAction {
  /** `owner/name` of the repository holding action.yml. */
  repository: string;
  version: string;
}

/** The GitHub Actions workflow: runs the matrix with this package's action on every push and pull
 * request; the action keeps the reports (the config's `outputDir`) as an artifact. Pure. */
export function renderWorkflow(answers: InitAnswers, action: WorkflowAction): string {
  const install = answers.npmProject
    ? '      - run: npm ci'
    : "      # Install here whatever the listener's command needs to start.";
  return `# wh-conformance: the webhook listener's conformance tests, on every push and pull request.
# The job fails when the listener lets a bad delivery through (exit 1) or the run cannot be
# carried out (exit 2); the reports are kept as the run's artifact either way.
name: wh-conformance

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  conformance:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
${install}
      # Reads ${CONFIG_FILE}, writes the job summary, annotates failures and uploads the reports
      # (${REPORT_DIR}/, the config's outputDir) as an artifact, also when the run fails.
      - uses: ${action.repository}@v${action.version}
        with:
          version: ${action.version}
          out: ${REPORT_DIR}
          reporters: ${REPORTERS.join(',')}
          # Node is set up above, for the listener too.
          node-version: ''
`;
}

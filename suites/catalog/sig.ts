import type { Scenario } from '../../harness/model.js';

// Each negative differs from the control in its signature only and is sent with the valid client
// certificate. The listener reads these requests, so a rejection must be a 4xx.
const base = { layer: 'sig', needs: [], rejection: 'http-4xx', control: false } as const;
const certified = { identity: 'valid' };

export const SIG_SCENARIOS: readonly Scenario[] = [
  {
    ...base,
    id: 'sig.valid',
    title: 'A correctly signed delivery is accepted',
    severity: 'critical',
    reference: 'Standard Webhooks §Verifying webhook authenticity',
    expect: 'accept',
    control: true,
    send: { ...certified, signature: {} },
  },
  {
    ...base,
    id: 'sig.missing-signature',
    title: 'A delivery without a signature header is rejected',
    severity: 'critical',
    reference: 'Standard Webhooks §Verifying webhook authenticity',
    expect: 'reject',
    send: { ...certified, signature: { omit: ['signature'] } },
  },
  {
    ...base,
    id: 'sig.wrong-secret',
    title: 'A delivery signed with another secret is rejected',
    severity: 'critical',
    reference: 'Standard Webhooks §Signature scheme',
    expect: 'reject',
    send: { ...certified, signature: { key: 'wrong' } },
  },
  {
    ...base,
    id: 'sig.tampered-body',
    title: 'A delivery whose body changed after signing is rejected',
    severity: 'critical',
    reference: 'Standard Webhooks §Signature scheme (signed content includes the raw body)',
    expect: 'reject',
    send: { ...certified, signature: { tamperBody: true } },
  },
  {
    ...base,
    id: 'sig.stale-timestamp',
    title: 'A correctly signed delivery older than the tolerance is rejected',
    severity: 'high',
    reference: 'Standard Webhooks §Replay attacks (timestamp tolerance)',
    expect: 'reject',
    send: { ...certified, signature: { timestamp: 'stale' } },
  },
  {
    ...base,
    id: 'sig.future-timestamp',
    title: 'A correctly signed delivery dated beyond the tolerance in the future is rejected',
    severity: 'medium',
    reference: 'Standard Webhooks §Replay attacks (tolerance applies both ways)',
    expect: 'reject',
    send: { ...certified, signature: { timestamp: 'future' } },
  },
];

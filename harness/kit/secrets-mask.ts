export const MASKED = '[masked]';

/** A whole private key in PEM, whatever its kind (PKCS#8, EC, RSA, encrypted). */
const PRIVATE_KEY_PEM = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
/** `whsec_…`, `whsk_…`, `shpss_…`: the part after the prefix is the key material. */
const PREFIXED = /^[a-z]{2,8}_(.{16,})$/;
/** Shorter values are not secrets the harness made, and masking them would garble ordinary text. */
const MIN_SECRET_LENGTH = 12;

/** Knows the secrets of a run — signing secrets, private keys — and replaces them in any text. A
 * key printed line by line (a listener logging its key file) is masked line by line. */
export class SecretMask {
  private secrets: string[] = [];

  /** Remembers signing secrets and private keys (PEM) to mask. */
  add(...values: readonly string[]): void {
    const found = new Set(this.secrets);
    for (const value of values) {
      for (const part of [value, PREFIXED.exec(value)?.[1], ...pemBodyLines(value)]) {
        if (part !== undefined && part.length >= MIN_SECRET_LENGTH) found.add(part);
      }
    }
    // Longest first: a secret that contains another is masked whole.
    this.secrets = [...found].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let masked = text.replace(PRIVATE_KEY_PEM, MASKED);
    for (const secret of this.secrets) if (masked.includes(secret)) masked = masked.split(secret).join(MASKED);
    return masked;
  }

  /** Every string inside a plain-data value (a run result) masked; the value itself is not changed. */
  maskDeep<T>(value: T): T {
    return maskValue(value, (text) => this.mask(text)) as T;
  }
}

function maskValue(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, mask)]));
  return value;
}

/** The base64 lines of the private keys in `text`. */
function pemBodyLines(text: string): string[] {
  return [...text.matchAll(PRIVATE_KEY_PEM)].flatMap(([pem]) => pem.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith('-----')));
}

/** The secrets of this process's run: every writer and log line goes through it. */
export const RUN_SECRETS = new SecretMask();

/** Where the target's output tail cut an over-long line: a secret may end there, cut short. */
export const LINE_CUT_MARK = '…[cut: ';

export const MASKED = '[masked]';

/** A whole private key in PEM, whatever its kind (PKCS#8, EC, RSA, encrypted). */
const PRIVATE_KEY_PEM = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
/** `whsec_…`, `whsk_…`, `shpss_…`: the part after the prefix is the key material. */
const PREFIXED = /^[a-z]{2,8}_(.{16,})$/;
/** Shorter values are not secrets the harness made, and masking them would garble ordinary text. */
const MIN_SECRET_LENGTH = 12;

/** Shortest start of a secret masked where the output tail cut a line: shorter ones are noise. */
const MIN_CUT_PREFIX = 4;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Base64 of `bytes` as it appears inside a longer encoded text: at each of the three alignments,
 * the characters that depend on `bytes` alone. */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const whole = Math.floor((offset + bytes.length) / 3) * 4;
    return encoded.slice([0, 2, 3][offset], whole);
  });
}

const toBase64url = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The ways a program is likely to print `bytes`: base64 (whole, and inside a longer base64 text),
 * base64url, hex. */
function byteForms(bytes: Buffer): string[] {
  const base64 = [bytes.toString('base64'), ...base64Cores(bytes)];
  return [...base64, ...base64.map(toBase64url), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
}

/** `text` as printed raw, URL-encoded, JSON-escaped, and its bytes encoded; a base64 text also as
 * the bytes it decodes to (a `whsec_` secret's key). */
export function secretForms(text: string): string[] {
  const forms = [text, encodeURIComponent(text), JSON.stringify(text).slice(1, -1), ...byteForms(Buffer.from(text, 'utf8'))];
  if (BASE64.test(text) && text.length % 4 === 0) forms.push(...byteForms(Buffer.from(text, 'base64')));
  return forms;
}

/** Knows the secrets of a run — signing secrets, private keys — and replaces them in any text, in
 * the encodings a program is likely to print them in (see secretForms). A key printed line by line
 * (a listener logging its key file) is masked line by line. */
export class SecretMask {
  private secrets: string[] = [];

  /** Remembers signing secrets and private keys (PEM) to mask. */
  add(...values: readonly string[]): void {
    const found = new Set(this.secrets);
    for (const value of values) {
      for (const part of [value, PREFIXED.exec(value)?.[1], ...pemBodyLines(value)]) {
        if (part === undefined || part.length < MIN_SECRET_LENGTH) continue;
        for (const form of secretForms(part)) if (form.length >= MIN_SECRET_LENGTH) found.add(form);
      }
    }
    // Longest first: a secret that contains another is masked whole.
    this.secrets = [...found].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let masked = text.replace(PRIVATE_KEY_PEM, MASKED);
    for (const secret of this.secrets) if (masked.includes(secret)) masked = masked.split(secret).join(MASKED);
    return masked.includes(LINE_CUT_MARK) ? this.maskBeforeCuts(masked) : masked;
  }

  /** A line the output tail cut may end in the start of a secret, right before the cut mark. */
  private maskBeforeCuts(text: string): string {
    return text.split(LINE_CUT_MARK).map((part, i, parts) => (i < parts.length - 1 ? this.maskSecretStart(part) : part)).join(LINE_CUT_MARK);
  }

  private maskSecretStart(text: string): string {
    let longest = 0;
    for (const secret of this.secrets) {
      for (let length = Math.min(secret.length - 1, text.length); length > longest && length >= MIN_CUT_PREFIX; length--) {
        if (text.endsWith(secret.slice(0, length))) longest = length;
      }
    }
    return longest > 0 ? `${text.slice(0, -longest)}${MASKED}` : text;
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

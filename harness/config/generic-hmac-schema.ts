import { z } from 'zod';
import { DEFAULT_GENERIC_HMAC } from '../profiles/index.js';

// The config file's `genericHmac` field, checked; the profile itself (profiles/generic-hmac.ts)
// takes the settings as they come out of here.

const headerName = z.string({ error: 'expected a header name' }).regex(/^[A-Za-z0-9-]+$/, { error: 'expected a header name (letters, digits, -)' });

export const GenericHmacSchema = z
  .strictObject({
    header: headerName.default(DEFAULT_GENERIC_HMAC.header),
    algorithm: z.enum(['sha256', 'sha512'], { error: 'expected sha256 or sha512' }).default(DEFAULT_GENERIC_HMAC.algorithm),
    encoding: z.enum(['hex', 'base64'], { error: 'expected hex or base64' }).default(DEFAULT_GENERIC_HMAC.encoding),
    prefix: z.string({ error: 'expected the text before the signature value, e.g. "sha256="' }).default(DEFAULT_GENERIC_HMAC.prefix),
    template: z
      .string({ error: 'expected the signed text, e.g. "{timestamp}.{body}"' })
      .refine((t) => t.split('{body}').length === 2, { error: 'expected a template with {body} exactly once' })
      .refine((t) => !/\{(?!body\}|timestamp\}|id\})[^}]*\}/.test(t), { error: 'expected only {body}, {timestamp} and {id} as placeholders' })
      .default(DEFAULT_GENERIC_HMAC.template),
    timestampHeader: headerName.optional(),
    idHeader: headerName.optional(),
  })
  .check((ctx) => {
    const s = ctx.value;
    const uses = (p: string) => s.template.includes(`{${p}}`);
    // An unsigned timestamp can be swapped freely, so it protects nothing; a placeholder without a header cannot be sent.
    if (s.timestampHeader !== undefined && !uses('timestamp')) ctx.issues.push({ code: 'custom', input: s, path: ['template'], message: 'timestampHeader is set but the template has no {timestamp}: an unsigned timestamp protects nothing' });
    if (uses('timestamp') && s.timestampHeader === undefined) ctx.issues.push({ code: 'custom', input: s, path: ['timestampHeader'], message: 'the template signs {timestamp}: name the header that carries it' });
    if (uses('id') && s.idHeader === undefined) ctx.issues.push({ code: 'custom', input: s, path: ['idHeader'], message: 'the template signs {id}: name the header that carries it' });
  });

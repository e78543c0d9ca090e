import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import type { RunResult } from '../model.js';
import { PACKAGE_ROOT } from '../package-info.js';

/** The published JSON Schema of `wh-conformance.json`, shipped in the package as `reports/schema.json`. */
export const REPORT_SCHEMA_FILE = join(PACKAGE_ROOT, 'reports', 'schema.json');

export type ReportCheck = { ok: true; report: RunResult } | { ok: false; problem: string };

let validate: ReturnType<Ajv2020['compile']> | undefined;

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the report' : error.instancePath.slice(1).replaceAll('/', '.');
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  const allowed = error.keyword === 'enum' ? `: ${(error.params.allowedValues as unknown[]).join(', ')}` : '';
  return `${where}: ${error.message ?? 'is invalid'}${extra}${allowed}`;
}

/** Checks a parsed JSON value against the report schema; the problem is the first error, one line. */
export function checkReport(value: unknown): ReportCheck {
  validate ??= new Ajv2020({ allErrors: false }).compile(JSON.parse(readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as object);
  if (validate(value)) return { ok: true, report: value as RunResult };
  const [first] = validate.errors ?? [];
  return { ok: false, problem: first ? describe(first) : 'does not match the report schema' };
}

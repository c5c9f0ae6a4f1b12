/**
 * The answer fingerprint of DATASET.md: the first 8 hex digits of SHA-1 over the returned rows
 * in response order (the `value` array of a collection, the entity object of a single read),
 * serialised as compact JSON after canonicalisation:
 *   - annotations (`@odata.*`, `Prop@odata.count`, ...) dropped;
 *   - only the data set's properties kept (the 17 task and 7 note properties of the rules, and the
 *     `Notes` navigation): what else a system returns (CreatedDateTime, Version, counts) differs
 *     between systems and runs;
 *   - keys sorted; dates as YYYY-MM-DDTHH:MM:SSZ (UTC); GUIDs lower-case; numbers as JSON writes
 *     them (10, 12.5);
 *   - expanded collections sorted by their canonical JSON text.
 * This reproduces every fingerprint DATASET.md gives for N = 1,000,000 (checked by
 * run-bench.ts when N is 1,000,000).
 */
import { createHash } from 'node:crypto';
import { NOTE_PROPERTIES, TASK_PROPERTIES } from './dataset-rules';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The properties kept by default; `null` keeps every non-annotation property (e.g. $apply rows). */
export const DATASET_PROPERTIES: ReadonlySet<string> = new Set([
  ...TASK_PROPERTIES,
  ...NOTE_PROPERTIES,
  'Notes',
]);

function canonicalScalar(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (GUID.test(v)) return v.toLowerCase();
  if (DATE_TIME.test(v)) return new Date(v).toISOString().slice(0, 19) + 'Z';
  return v;
}

/** One row (or nested value) canonicalised; `top` arrays keep their order, nested ones are sorted. */
export function canonical(
  value: unknown,
  keep: ReadonlySet<string> | null = DATASET_PROPERTIES,
  top = true,
): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, keep, false));
    if (top) return items;
    return items
      .map((v) => [JSON.stringify(v), v] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, v]) => v);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      if (k.includes('@')) continue;
      if (keep && !keep.has(k)) continue;
      out[k] = canonical((value as Record<string, unknown>)[k], keep, false);
    }
    return out;
  }
  return canonicalScalar(value);
}

/** Fingerprint of a collection's rows (array) or of a single entity (object). */
export function fingerprint(
  rowsOrEntity: unknown,
  keep: ReadonlySet<string> | null = DATASET_PROPERTIES,
): string {
  const text = JSON.stringify(canonical(rowsOrEntity, keep, true));
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

import { ErrorCode, ODataError, ODataErrorDetail } from '../errors/odata-error';
import type { EdmEntityType, EdmPrimitive, EdmProperty } from '../model/edm-model';
import { nulPath } from './json-limits';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIMEOFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$/i;
const TIMEOFDAY = /^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$/;
/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z (Date.UTC maps years below 100 to 19xx). */
const FIRST_INSTANT = -62135596800000;
const AFTER_LAST_INSTANT = 253402300800000;
/** Edm.Single is a PostgreSQL real: finite and within its range. */
const MAX_SINGLE = 3.4028234663852886e38;
const INT_RANGE: Partial<Record<EdmPrimitive, [number, number]>> = {
  'Edm.Byte': [0, 255],
  'Edm.SByte': [-128, 127],
  'Edm.Int16': [-32768, 32767],
  'Edm.Int32': [-2147483648, 2147483647],
  'Edm.Int64': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export function parseJsonBody(body: string | undefined): Record<string, unknown> {
  if (body === undefined || body.trim() === '')
    throw ODataError.badRequest(
      'The request body is empty; a JSON object is expected',
      undefined,
      ErrorCode.BadBody,
    );
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw ODataError.badRequest(
      `The request body is not valid JSON: ${(e as Error).message}`,
      undefined,
      ErrorCode.BadBody,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw ODataError.badRequest('The request body must be a JSON object', undefined, ErrorCode.BadBody);
  }
  // Checked here for every property and parameter, nested ones too (entity and complex values).
  const nul = nulPath(value);
  if (nul) {
    throw ODataError.badRequest(
      `${nul} contains a NUL character, which cannot be stored`,
      nul,
      ErrorCode.BadType,
    );
  }
  return value as Record<string, unknown>;
}

/** Years 1 to 9999 (what Edm and most clients represent), and a day the month has: 2025-02-30 is not one. */
function isCalendarDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !isLeap(y) ? 1 : 0);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** The instant, offset applied, still falls in years 1 to 9999 (9999-12-31T23:00-05:00 does not). */
function inYearRange(ms: number): boolean {
  return !Number.isNaN(ms) && ms >= FIRST_INSTANT && ms < AFTER_LAST_INSTANT;
}

/** Checks one value against an Edm type; returns it in the form the database takes, or an error message. */
export function checkValue(
  type: EdmPrimitive,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  // String(): JSON.stringify shows Infinity (1e400 once parsed) as null.
  const shown = () => (typeof value === 'number' ? String(value) : JSON.stringify(value));
  const fail = (expected: string) => ({
    ok: false as const,
    message: `expected ${expected}, got ${shown()}`,
  });
  switch (type) {
    case 'Edm.Guid':
      return typeof value === 'string' && GUID.test(value)
        ? { ok: true, value: value.toLowerCase() }
        : fail('a Guid');
    case 'Edm.String':
      if (typeof value === 'string' && value.includes('\u0000')) {
        return { ok: false, message: 'a NUL character cannot be stored' };
      }
      return typeof value === 'string' ? { ok: true, value } : fail('a string');
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? { ok: true, value } : fail('true or false');
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal': {
      // 1e400 parses to Infinity: refused like NaN and -Infinity, never stored.
      const n =
        typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
      const max = type === 'Edm.Single' ? MAX_SINGLE : Number.MAX_VALUE;
      if (typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= max) return { ok: true, value: n };
      return fail(`a finite number${type === 'Edm.Single' ? ` within ±${MAX_SINGLE}` : ''}`);
    }
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64': {
      const n =
        typeof value === 'string' && type === 'Edm.Int64' && /^-?\d+$/.test(value) ? Number(value) : value;
      const [min, max] = INT_RANGE[type]!;
      return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max
        ? { ok: true, value: n }
        : fail(`an integer from ${min} to ${max}`);
    }
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' &&
        DATETIMEOFFSET.test(value) &&
        isCalendarDate(value) &&
        inYearRange(Date.parse(value))
        ? { ok: true, value }
        : fail('a DateTimeOffset from year 1 to 9999 such as 2025-02-01T09:00:00Z');
    case 'Edm.Date':
      return typeof value === 'string' && DATE.test(value) && isCalendarDate(value)
        ? { ok: true, value }
        : fail('a Date from year 1 to 9999 such as 2025-02-01');
    case 'Edm.TimeOfDay':
      return typeof value === 'string' && TIMEOFDAY.test(value)
        ? { ok: true, value }
        : fail('a TimeOfDay such as 09:30:00');
    default:
      return typeof value === 'string' ? { ok: true, value } : fail(type);
  }
}

function checkProperty(p: EdmProperty, value: unknown, errors: ODataErrorDetail[]): unknown {
  if (value === null) {
    if (!p.nullable)
      errors.push({ code: ErrorCode.BadType, message: `${p.name} must not be null`, target: p.name });
    return null;
  }
  if (p.collection) {
    if (!Array.isArray(value)) {
      errors.push({ code: ErrorCode.BadType, message: `${p.name}: expected an array`, target: p.name });
      return undefined;
    }
    return value.map((item, i) => {
      const r = checkValue(p.type, item);
      if (!r.ok)
        errors.push({ code: ErrorCode.BadType, message: `${p.name}[${i}]: ${r.message}`, target: p.name });
      return r.ok ? r.value : undefined;
    });
  }
  const r = checkValue(p.type, value);
  if (!r.ok) errors.push({ code: ErrorCode.BadType, message: `${p.name}: ${r.message}`, target: p.name });
  return r.ok ? r.value : undefined;
}

export type WriteMode = 'create' | 'update' | 'replace';

/**
 * A POST/PATCH/PUT body checked against the model: unknown properties, wrong types, nulls in
 * non-nullable properties and missing required ones are 400s listing every problem; computed
 * properties are ignored (the contract: read-only values sent by clients are ignored);
 * `Nav@odata.bind` sets the foreign key of a single-valued navigation.
 * Returns the values by column name.
 */
export function validateBody(
  type: EdmEntityType,
  body: Record<string, unknown>,
  mode: WriteMode,
  preset: Record<string, unknown> = {},
): Record<string, unknown> {
  const errors: ODataErrorDetail[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@')) continue; // instance annotations such as @odata.type, @odata.etag
    const bind = name.match(/^(.+)@odata\.bind$/);
    if (bind) {
      const nav = type.navigation.get(bind[1]);
      if (!nav || nav.collection || nav.join.kind !== 'foreignKey') {
        errors.push({
          code: ErrorCode.UnknownProperty,
          message: `${bind[1]} is not a single-valued navigation property of ${type.name}`,
          target: name,
        });
        continue;
      }
      const m =
        typeof value === 'string'
          ? value.match(/(?:^|\/)([A-Za-z_][A-Za-z0-9_]*)\(['"]?([0-9a-fA-F-]{36})['"]?\)$/)
          : null;
      if (!m) {
        errors.push({
          code: ErrorCode.BadType,
          message: `${name}: expected an entity id such as Project(<guid>)`,
          target: name,
        });
        continue;
      }
      const column = nav.join.pairs[0].source;
      values[column] = m[2].toLowerCase();
      continue;
    }
    if (name.includes('@')) continue; // property annotations
    const p = type.property.get(name);
    if (!p) {
      if (type.navigation.has(name)) {
        errors.push({
          code: ErrorCode.BadBody,
          message: `Deep insert or update of '${name}' is not supported; use ${name}@odata.bind or the navigation's own URL`,
          target: name,
        });
      } else {
        errors.push({
          code: ErrorCode.UnknownProperty,
          message: `${type.name} has no property '${name}'`,
          target: name,
        });
      }
      continue;
    }
    if (p.computed) continue;
    if (p.isKey && mode !== 'create') continue; // the key comes from the URL
    if (p.immutable && mode !== 'create') continue;
    const checked = checkProperty(p, value, errors);
    if (checked !== undefined) values[p.column] = checked;
  }
  Object.assign(values, preset);
  if (mode !== 'update') {
    for (const p of type.properties) {
      if (p.computed || p.nullable || p.hasDefault || (p.isKey && mode === 'replace')) continue;
      if (!(p.column in values))
        errors.push({ code: ErrorCode.MissingProperty, message: `${p.name} is required`, target: p.name });
    }
  }
  if (errors.length) {
    throw new ODataError(
      400,
      errors[0].code as ErrorCode,
      errors.length === 1
        ? errors[0].message
        : `${errors.length} problems in the request body: ${errors.map((e) => e.message).join('; ')}`,
      errors[0].target,
      errors,
    );
  }
  return values;
}

import { ErrorCode, ODataError } from '../errors/odata-error';
import type { Expr, LiteralType } from '../query/odata-query';
import type { Token } from './parser-extensions/bool-expr';
import { checkValue } from '../write/validate-body';

/** Literal tokens of odata-v4-parser -> typed literals, each decoded exactly once (to-query-ir.ts's leaves). */
const LITERAL_TYPES: Record<string, LiteralType> = {
  'Edm.String': 'string',
  'Edm.Boolean': 'boolean',
  'Edm.Guid': 'guid',
  'Edm.SByte': 'int',
  'Edm.Byte': 'int',
  'Edm.Int16': 'int',
  'Edm.Int32': 'int',
  'Edm.Int64': 'int',
  'Edm.Decimal': 'decimal',
  'Edm.Double': 'double',
  'Edm.Single': 'double',
  'Edm.DateTimeOffset': 'datetimeoffset',
  'Edm.Date': 'date',
  'Edm.TimeOfDay': 'timeofday',
  'Edm.Duration': 'duration',
};

export function literal(t: Token): Expr {
  const raw = t.raw;
  if (t.value === 'null') return { kind: 'literal', type: 'null', value: null };
  const type = LITERAL_TYPES[t.value];
  if (!type) throw ODataError.badRequest(`Unsupported literal ${raw}`, undefined, ErrorCode.BadLiteral);
  switch (type) {
    case 'string':
      return { kind: 'literal', type, value: decodeLiteralString(raw) };
    case 'boolean':
      return { kind: 'literal', type, value: raw.toLowerCase() === 'true' };
    case 'int': {
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) return { kind: 'literal', type: 'decimal', value: raw };
      return { kind: 'literal', type, value: n };
    }
    case 'decimal':
    case 'double': {
      const n = Number(raw.replace(/[mMdDfF]$/, ''));
      if (!Number.isFinite(n)) return { kind: 'literal', type: 'double', value: raw };
      return { kind: 'literal', type, value: n };
    }
    case 'duration':
      return { kind: 'literal', type, value: raw.replace(/^duration'|'$/g, '') };
    case 'date':
    case 'datetimeoffset':
      // Days that do not exist and years outside 1..9999 are the client's error, not the database's.
      if (!checkValue(type === 'date' ? 'Edm.Date' : 'Edm.DateTimeOffset', raw).ok) {
        throw ODataError.badRequest(
          `${raw} is not a date from year 1 to 9999`,
          undefined,
          ErrorCode.BadLiteral,
        );
      }
      return { kind: 'literal', type, value: raw };
    default:
      return { kind: 'literal', type, value: raw };
  }
}

/** 'it''s' -> it's */
export function decodeLiteralString(raw: string): string {
  const body = raw.slice(1, -1).replace(/''/g, "'");
  try {
    return decodeURIComponent(body);
  } catch {
    throw ODataError.badRequest(
      `Malformed percent-encoding in literal ${raw}`,
      undefined,
      ErrorCode.BadLiteral,
    );
  }
}

import { ErrorCode, ODataError } from '../errors/odata-error';
import type { Expr } from '../query/odata-query';
import { parseCommonExpr } from './parser-extensions/bool-expr';
import { normalizeKeywords } from './parser-extensions/normalize-keywords';
import { splitTopLevel } from './parser-extensions/split';
import { toExpr } from './to-query-ir';
import { InputLimits, checkExpression, checkText } from './input-limits';

/**
 * A resource path split into named segments:
 *   /Task(0b1c...)/Notes/$count -> [{name:'Task', args:[...]}, {name:'Notes'}, {name:'$count'}]
 * Key predicates and function parameters are parsed with odata-v4-parser (as literals).
 */
export interface PathSegment {
  name: string;
  /** Positional key values: Task(<guid>), Task('<guid>'). */
  keys?: Expr[];
  /** Named values: Task(TaskItemId=<guid>), DeleteNote(noteRelationId=<guid>). */
  named?: Record<string, Expr | { alias: string }>;
  /** The segment had parentheses, even empty: GetStopwatch(). */
  call?: boolean;
}

/** A bare GUID, the usual key: taken as it is, without the expression parser (a third of a key read's parsing). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseValue(text: string, where: string): Expr {
  if (GUID.test(text)) return { kind: 'literal', type: 'guid', value: text };
  try {
    return toExpr(parseCommonExpr(normalizeKeywords(text)), {
      alias: (n) => {
        throw ODataError.badRequest(`Alias @${n} is not allowed here`, where, ErrorCode.BadKey);
      },
    });
  } catch (e) {
    if (e instanceof ODataError) throw e;
    throw ODataError.badRequest(`Invalid value '${text}' in ${where}`, where, ErrorCode.BadKey);
  }
}

/** With limits, each segment is checked for length and NUL, and its keys or parameters for nesting, before parsing. */
export function parseResourcePath(path: string, limits?: InputLimits): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const raw of path.split('/').filter((s) => s.length > 0)) {
    let text: string;
    try {
      text = decodeURIComponent(raw);
    } catch {
      throw ODataError.badRequest(
        `Malformed percent-encoding in path segment '${raw}'`,
        raw,
        ErrorCode.BadRequest,
      );
    }
    const open = text.indexOf('(');
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    const label = (open < 0 ? text : text.slice(0, open)).replace(/[\u0000-\u001f]/g, '').slice(0, 100);
    checkText(`Path segment '${label}'`, text, limits);
    if (open < 0) {
      segments.push({ name: text });
      continue;
    }
    if (!text.endsWith(')'))
      throw ODataError.badRequest(`Malformed path segment '${text}'`, text, ErrorCode.BadKey);
    const name = text.slice(0, open);
    const inner = text.slice(open + 1, -1).trim();
    const segment: PathSegment = { name, call: true };
    checkExpression(`The parameters of ${label}`, inner, limits);
    if (inner.length) {
      for (const part of splitTopLevel(inner, ',')) {
        const eq = part.match(/^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/s);
        if (eq) {
          segment.named ??= {};
          segment.named[eq[1]] = eq[2].startsWith('@') ? { alias: eq[2].slice(1) } : parseValue(eq[2], name);
        } else {
          segment.keys ??= [];
          segment.keys.push(parseValue(part, name));
        }
      }
    }
    segments.push(segment);
  }
  return segments;
}

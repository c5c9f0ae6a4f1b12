import { ErrorCode, ODataError } from '../errors/odata-error';
import { InputLimits, checkExpression, checkText } from './input-limits';

/** The system query options OData defines (names without `$`, as 4.01 allows them). */
export const SYSTEM_OPTIONS = new Set([
  'filter',
  'orderby',
  'top',
  'skip',
  'count',
  'select',
  'expand',
  'search',
  'skiptoken',
  'format',
  'levels',
  'apply',
  'compute',
  'id',
  'deltatoken',
  'schemaversion',
  'index',
]);

/** Options whose values are parsed as expressions (and parameter aliases): measured before parsing. */
const EXPRESSIONS = new Set(['filter', 'orderby', 'select', 'expand', 'search', 'apply', 'compute']);

export interface RawOptions {
  system: Map<string, string>;
  aliases: Map<string, string>;
  custom: Map<string, string>;
}

/**
 * Splits the URL's query string into system options (names case-insensitive, `$` optional as
 * in OData 4.01), parameter aliases (`@name`) and custom options. Values are form-decoded
 * (`+` is a space) and, with limits, checked for length, NUL characters and (expressions)
 * nesting and terms.
 */
export function splitQueryString(search: string, limits?: InputLimits): RawOptions {
  const system = new Map<string, string>();
  const aliases = new Map<string, string>();
  const custom = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      // Form encoding, as browsers, Power Query and ASP.NET Core OData read it: `+` is a space
      // (a literal plus is %2B, e.g. in 2025-01-01T00:00:00%2B01:00).
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw ODataError.badRequest(
        `Malformed percent-encoding in query option '${rawName}'`,
        rawName,
        ErrorCode.BadQueryOption,
      );
    }
    checkText(`Query option ${name}`, name, limits);
    if (name.startsWith('@')) {
      checkText(name, value, limits);
      checkExpression(name, value, limits);
      aliases.set(name.slice(1), value);
      continue;
    }
    const bare = name.replace(/^\$/, '').toLowerCase();
    const option = SYSTEM_OPTIONS.has(bare) ? `$${bare}` : name;
    checkText(option, value, limits);
    if (EXPRESSIONS.has(bare)) checkExpression(option, value, limits, bare === 'search' ? '"' : "'");
    if (SYSTEM_OPTIONS.has(bare) && (name.startsWith('$') || !custom.has(name))) {
      if (system.has(bare))
        throw ODataError.badRequest(
          `Query option $${bare} is given more than once`,
          `$${bare}`,
          ErrorCode.BadQueryOption,
        );
      system.set(bare, value);
    } else if (name.startsWith('$')) {
      throw ODataError.badRequest(`Unknown system query option '${name}'`, name, ErrorCode.BadQueryOption);
    } else custom.set(name, value);
  }
  return { system, aliases, custom };
}

import { ErrorCode, ODataError, fromStackOverflow } from '../errors/odata-error';
import {
  Expr,
  ExpandItem,
  ODataQuery,
  OrderByItem,
  QueryOptions,
  SearchExpr,
  emptyOptions,
} from '../query/odata-query';
import { parseBoolExpr, parseCommonExpr } from './parser-extensions/bool-expr';
import { normalizeKeywords } from './parser-extensions/normalize-keywords';
import { splitHeadAndParens, splitTopLevel } from './parser-extensions/split';
import { parseSearch } from './parser-extensions/search';
import { parseApply, parseCompute } from './parser-extensions/apply';
import { IrContext, toExpr } from './to-query-ir';
import type { InputLimits } from './input-limits';
import { RawOptions, splitQueryString } from './split-query-string';

export { splitQueryString } from './split-query-string';
export type { RawOptions } from './split-query-string';
import { withoutNumberSuffixes } from './number-suffix';

const UNSUPPORTED: Record<string, string> = {
  deltatoken: '$deltatoken applies to a delta link request, not inside $expand',
  index: '$index is not supported',
  id: '$id is only valid on $ref requests',
};

function syntaxError(option: string, text: string, e: unknown): ODataError {
  const overflow = fromStackOverflow(e);
  if (overflow) return overflow;
  const detail =
    e instanceof Error
      ? e.message
          .replace(/^Fail at/, 'cannot parse from position')
          .replace(/^Unexpected character at/, 'unexpected character at position')
      : '';
  return ODataError.badRequest(`Invalid ${option} '${text}': ${detail}`, option, ErrorCode.BadQueryOption);
}

export function aliasContext(aliases: Map<string, string>): IrContext {
  const ctx: IrContext = {
    alias: (name) => {
      const text = aliases.get(name);
      if (text === undefined)
        throw ODataError.badRequest(
          `Parameter alias @${name} has no value`,
          `@${name}`,
          ErrorCode.BadQueryOption,
        );
      try {
        return toExpr(parseCommonExpr(normalizeKeywords(text)), ctx);
      } catch (e) {
        if (e instanceof ODataError) throw e;
        throw syntaxError(`@${name}`, text, e);
      }
    },
  };
  return ctx;
}

export function parseFilter(text: string, ctx: IrContext): Expr {
  if (/\sdivby\s/i.test(text.replace(/'([^']|'')*'/g, "''")))
    throw ODataError.notImplemented('divby is not supported; use div with a decimal operand (5 div 2.0)');
  if (/\/\$filter\(/i.test(text))
    throw ODataError.notImplemented(
      'Filtered collections inside expressions (Notes/$filter(...)/$count) are not supported; use any() or $count with a lambda instead',
    );
  let token;
  try {
    token = parseBoolExpr(normalizeKeywords(withoutNumberSuffixes(text)));
  } catch (e) {
    throw syntaxError('$filter', text, e);
  }
  return toExpr(token, ctx);
}

export function parseOrderBy(text: string, ctx: IrContext): OrderByItem[] {
  return splitTopLevel(text, ',').map((item) => {
    const m = item.match(/^(.*?)(?:\s+(asc|desc))?$/i)!;
    let token;
    try {
      token = parseCommonExpr(normalizeKeywords(m[1].trim()));
    } catch (e) {
      throw syntaxError('$orderby', text, e);
    }
    return { expr: toExpr(token, ctx), desc: (m[2] ?? '').toLowerCase() === 'desc' };
  });
}

function parseNonNegativeInt(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) {
    throw ODataError.badRequest(
      `${option} '${text}' is invalid. Should be a non-negative integer`,
      option,
      ErrorCode.BadQueryOption,
    );
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw ODataError.badRequest(`${option} '${text}' is too large`, option, ErrorCode.BadQueryOption);
  return n;
}

function parseBoolean(option: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t !== 'true' && t !== 'false')
    throw ODataError.badRequest(
      `${option} '${text}' is invalid. Should be true or false`,
      option,
      ErrorCode.BadQueryOption,
    );
  return t === 'true';
}

function parseSelect(text: string): string[] {
  return splitTopLevel(text, ',').map((item) => {
    const { head, inner } = splitHeadAndParens(item);
    if (inner !== undefined)
      throw ODataError.notImplemented(`Nested options in $select ('${item}') are not supported`);
    if (!/^(\*|[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*|[A-Za-z_][A-Za-z0-9_.]*\.\*)$/.test(head)) {
      throw ODataError.badRequest(`Invalid $select item '${item}'`, '$select', ErrorCode.BadQueryOption);
    }
    return head;
  });
}

/** $expand=Notes($filter=...;$top=2),Status,Contributors/$ref */
function parseExpand(text: string, ctx: IrContext, depth: number): ExpandItem[] {
  return splitTopLevel(text, ',').map((item) => {
    const { head, inner } = splitHeadAndParens(item);
    const segments = head.split('/');
    let ref = false;
    if (segments[segments.length - 1] === '$ref') {
      ref = true;
      segments.pop();
    }
    if (segments.length === 0 || segments.some((s) => !/^(\*|[A-Za-z_][A-Za-z0-9_.]*)$/.test(s))) {
      throw ODataError.badRequest(`Invalid $expand item '${item}'`, '$expand', ErrorCode.BadQueryOption);
    }
    const options = emptyOptions();
    if (inner !== undefined) {
      const nested = new Map<string, string>();
      for (const opt of splitTopLevel(inner, ';')) {
        const eq = opt.indexOf('=');
        if (eq < 0)
          throw ODataError.badRequest(
            `Invalid nested option '${opt}' in $expand`,
            '$expand',
            ErrorCode.BadQueryOption,
          );
        nested.set(opt.slice(0, eq).trim().replace(/^\$/, '').toLowerCase(), opt.slice(eq + 1));
      }
      Object.assign(options, parseOptions(nested, ctx, depth + 1));
    }
    return { path: segments, ref, options };
  });
}

/** Parses the system options that may appear both at top level and nested in $expand. */
export function parseOptions(system: Map<string, string>, ctx: IrContext, depth = 0): QueryOptions {
  const options = emptyOptions();
  for (const [name, text] of system) {
    if (UNSUPPORTED[name]) throw ODataError.notImplemented(UNSUPPORTED[name]);
    switch (name) {
      case 'filter':
        options.filter = parseFilter(text, ctx);
        break;
      case 'orderby':
        options.orderby = parseOrderBy(text, ctx);
        break;
      case 'top':
        options.top = parseNonNegativeInt('$top', text);
        break;
      case 'skip':
        options.skip = parseNonNegativeInt('$skip', text);
        break;
      case 'count':
        options.count = parseBoolean('$count', text);
        break;
      case 'select':
        options.select = parseSelect(text);
        break;
      case 'expand':
        options.expand = parseExpand(text, ctx, depth);
        break;
      case 'search':
        options.search = parseSearchOption(text);
        break;
      case 'apply':
        options.apply = parseApply(text, ctx);
        break;
      case 'compute':
        options.compute = parseCompute(text, ctx);
        break;
      case 'levels':
        options.levels = text.trim().toLowerCase() === 'max' ? 'max' : parseNonNegativeInt('$levels', text);
        break;
      case 'skiptoken':
      case 'format':
      case 'schemaversion':
        break;
      default:
        throw ODataError.badRequest(`Unknown query option '$${name}'`, `$${name}`, ErrorCode.BadQueryOption);
    }
  }
  return options;
}

function parseSearchOption(text: string): SearchExpr {
  try {
    return parseSearch(text);
  } catch (e) {
    if (e instanceof ODataError) throw e;
    throw syntaxError('$search', text, e);
  }
}

export function parseQuery(search: string, limits?: InputLimits): ODataQuery {
  return queryOf(splitQueryString(search, limits));
}

/** The query options of an already split query string. */
export function queryOf(raw: RawOptions): ODataQuery {
  const ctx = aliasContext(raw.aliases);
  // A delta link's token is the request's alone (inside $expand it stays unsupported).
  const deltatoken = raw.system.get('deltatoken');
  raw.system.delete('deltatoken');
  const query: ODataQuery = parseOptions(raw.system, ctx);
  if (deltatoken !== undefined) query.deltatoken = deltatoken;
  query.skiptoken = raw.system.get('skiptoken');
  query.format = raw.system.get('format');
  return query;
}

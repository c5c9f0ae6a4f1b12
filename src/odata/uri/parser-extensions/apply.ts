import { ErrorCode, ODataError } from '../../errors/odata-error';
import type { Aggregate, AggregateMethod, ApplyStep, ComputeItem, Expr } from '../../query/odata-query';
import type { IrContext } from '../to-query-ir';
import { toExpr } from '../to-query-ir';
import { parseBoolExpr, parseCommonExpr } from './bool-expr';
import { normalizeKeywords } from './normalize-keywords';
import { splitHeadAndParens, splitTopLevel } from './split';

/**
 * $apply and $compute (OData Data Aggregation / 4.01), which odata-v4-parser does not know.
 * The transformation structure is split here; every expression inside it is parsed by
 * odata-v4-parser (parseCommonExpr / parseBoolExpr).
 *
 *   filter(IsDone eq false)/groupby((ProjectId,Status/Name),aggregate(WorkAmount with sum as Total,$count as Count))
 */
/** Transformations of the Data Aggregation standard this service does not implement (501, not 400). */
const KNOWN_UNSUPPORTED = new Set([
  'topcount',
  'topsum',
  'toppercent',
  'bottomcount',
  'bottomsum',
  'bottompercent',
  'identity',
  'concat',
  'expand',
  'search',
  'compute',
  'nest',
  'join',
  'outerjoin',
  'ancestors',
  'descendants',
  'traverse',
  'orderby',
  'top',
  'skip',
]);
const METHODS = new Set<AggregateMethod>(['sum', 'min', 'max', 'average', 'countdistinct']);
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

function bad(text: string, why: string): ODataError {
  return ODataError.badRequest(`Invalid $apply '${text}': ${why}`, '$apply', ErrorCode.BadQueryOption);
}

function expr(text: string, ctx: IrContext, option: string): Expr {
  try {
    return toExpr(parseCommonExpr(normalizeKeywords(text)), ctx);
  } catch (e) {
    if (e instanceof ODataError) throw e;
    throw ODataError.badRequest(
      `Invalid expression '${text}' in ${option}`,
      option,
      ErrorCode.BadQueryOption,
    );
  }
}

function aggregates(text: string, ctx: IrContext): Aggregate[] {
  return splitTopLevel(text, ',').map((item) => {
    const count = item.match(/^\$count\s+as\s+(\S+)$/i);
    if (count) {
      if (!ALIAS.test(count[1])) throw bad(item, `'${count[1]}' is not a valid alias`);
      return { kind: 'count', alias: count[1] };
    }
    const m = item.match(/^(.+?)\s+with\s+([A-Za-z]+)\s+as\s+(\S+)$/i);
    if (!m) throw bad(item, "expected '<expression> with <method> as <alias>' or '$count as <alias>'");
    const method = m[2].toLowerCase() as AggregateMethod;
    if (!METHODS.has(method)) throw bad(item, `unknown aggregation method '${m[2]}'`);
    if (!ALIAS.test(m[3])) throw bad(item, `'${m[3]}' is not a valid alias`);
    return { kind: 'aggregate', expr: expr(m[1], ctx, '$apply'), method, alias: m[3] };
  });
}

export function parseApply(text: string, ctx: IrContext): ApplyStep[] {
  return splitTopLevel(text, '/').map((step): ApplyStep => {
    const { head, inner } = splitHeadAndParens(step);
    if (inner === undefined)
      throw bad(step, 'expected a transformation such as filter(...), groupby(...) or aggregate(...)');
    switch (head.toLowerCase()) {
      case 'filter':
        try {
          return { kind: 'filter', expr: toExpr(parseBoolExpr(normalizeKeywords(inner)), ctx) };
        } catch (e) {
          if (e instanceof ODataError) throw e;
          throw bad(step, 'the filter expression does not parse');
        }
      case 'aggregate':
        return { kind: 'aggregate', aggregates: aggregates(inner, ctx) };
      case 'groupby': {
        const [paths, ...rest] = splitTopLevel(inner, ',');
        const list = splitHeadAndParens(paths);
        if (list.head !== '' || list.inner === undefined)
          throw bad(step, 'groupby needs a parenthesised list of properties');
        const grouped = splitTopLevel(list.inner, ',').map((p) => {
          if (!/^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/.test(p))
            throw bad(step, `'${p}' is not a property path`);
          return p.split('/');
        });
        let aggs: Aggregate[] = [];
        for (const r of rest) {
          const t = splitHeadAndParens(r);
          if (t.head.toLowerCase() !== 'aggregate' || t.inner === undefined)
            throw bad(step, `unsupported groupby transformation '${r}'`);
          aggs = aggs.concat(aggregates(t.inner, ctx));
        }
        return { kind: 'groupby', paths: grouped, aggregates: aggs };
      }
      default:
        if (KNOWN_UNSUPPORTED.has(head.toLowerCase())) {
          throw ODataError.notImplemented(
            `The $apply transformation '${head}' is not supported; supported: filter, groupby, aggregate`,
          );
        }
        throw bad(step, `unknown transformation '${head}'`);
    }
  });
}

export function parseCompute(text: string, ctx: IrContext): ComputeItem[] {
  return splitTopLevel(text, ',').map((item) => {
    const m = item.match(/^(.+)\s+as\s+(\S+)$/i);
    if (!m || !ALIAS.test(m[2])) {
      throw ODataError.badRequest(
        `Invalid $compute item '${item}': expected '<expression> as <alias>'`,
        '$compute',
        ErrorCode.BadQueryOption,
      );
    }
    return { expr: expr(m[1], ctx, '$compute'), alias: m[2] };
  });
}

import { ErrorCode, ODataError } from '../errors/odata-error';
import type { Expr } from '../query/odata-query';

/**
 * Every limit on what a query may ask, checked here and only here (the text-level limits of
 * uri/input-limits.ts run before parsing, to protect the parser, and are not query meaning).
 */
export interface BindLimits {
  maxTop: number;
  maxExpandDepth: number;
  maxInList: number;
  /** Nodes of one $filter (or $apply filter, lambda predicates included). */
  maxFilterNodes: number;
  /** Expression nesting (operators within operators); parentheses are checked before parsing. */
  maxNesting?: number;
}

export const NO_LIMITS: BindLimits = {
  maxTop: Number.MAX_SAFE_INTEGER,
  maxExpandDepth: Number.MAX_SAFE_INTEGER,
  maxInList: Number.MAX_SAFE_INTEGER,
  maxFilterNodes: Number.MAX_SAFE_INTEGER,
};

const limitExceeded = (message: string, target: string) =>
  new ODataError(400, ErrorCode.LimitExceeded, message, target);

/** Counts expression nodes (objects with a `kind`). */
export function countNodes(x: unknown): number {
  if (!x || typeof x !== 'object') return 0;
  let n = (x as { kind?: unknown }).kind ? 1 : 0;
  for (const v of Object.values(x)) n += countNodes(v);
  return n;
}

function depth(x: unknown): number {
  if (!x || typeof x !== 'object') return 0;
  let d = 0;
  for (const v of Object.values(x)) d = Math.max(d, depth(v));
  return d + ((x as { kind?: unknown }).kind ? 1 : 0);
}

export function checkExpression(expr: Expr, limits: BindLimits, target: string): void {
  if (countNodes(expr) > limits.maxFilterNodes)
    throw limitExceeded(`${target} has more than ${limits.maxFilterNodes} nodes`, target);
  if (limits.maxNesting !== undefined && depth(expr) > limits.maxNesting)
    throw limitExceeded(`${target} is nested more than ${limits.maxNesting} levels deep`, target);
}

export function checkInList(length: number, limits: BindLimits, target: string): void {
  if (length > limits.maxInList)
    throw limitExceeded(`The in list has ${length} items; at most ${limits.maxInList} are allowed`, target);
}

export function checkTop(top: number | undefined, limits: BindLimits): void {
  if (top !== undefined && top > limits.maxTop)
    throw limitExceeded(`$top=${top} exceeds the maximum of ${limits.maxTop}`, '$top');
}

export function checkExpandDepth(level: number, limits: BindLimits): void {
  if (level > limits.maxExpandDepth)
    throw limitExceeded(
      `$expand is nested ${level} levels deep; at most ${limits.maxExpandDepth} are allowed`,
      '$expand',
    );
}

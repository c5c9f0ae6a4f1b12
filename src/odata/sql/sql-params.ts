/**
 * Where a parameter's value comes from, so that a compiled plan (plan/) can fill it for another
 * request of the same shape without writing SQL again:
 * - `const`: the same for every request of the shape (a dynamic property's key, $select names);
 * - `hole`: the i-th literal of the bound query (plan/shape.ts), optionally mapped (LIKE patterns);
 * - `call`: the j-th value of the c-th call of a caller- or URL-dependent SQL fragment (read
 *   scope, row scopes, caller properties), replayed per request;
 * - `after`: the i-th value of the skiptoken; `limit`/`offset`: the page.
 */
export type ParamSource =
  | { k: 'const'; v: unknown }
  | { k: 'hole'; i: number; map?: (v: unknown) => unknown }
  | { k: 'call'; c: number; j: number }
  | { k: 'after'; i: number }
  | { k: 'limit' }
  | { k: 'offset' };

/** The literals of a bound query by position (plan/shape.ts): a parameter's source, if it is one. */
export interface Holes {
  at(owner: object, key: string, map?: (v: unknown) => unknown): ParamSource | undefined;
}

/**
 * Collects bound parameters while SQL text is built. Every client value goes through here:
 * nothing a client sends is ever concatenated into SQL text. Names are `p0`, `p1`, ... in
 * TypeORM's `:name` syntax.
 */
export class SqlParams {
  readonly values: Record<string, unknown> = {};
  readonly sources: Record<string, ParamSource> = {};
  /** Set while a replayable fragment is written: its parameters are that call's. */
  capture?: { c: number; start: number };
  /** Set when a plan is compiled: literals become `hole` parameters. */
  holes?: Holes;

  constructor(private next = 0) {}

  get count(): number {
    return this.next;
  }

  add(value: unknown, source?: ParamSource): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    this.sources[name] = this.capture
      ? { k: 'call', c: this.capture.c, j: this.next - 1 - this.capture.start }
      : (source ?? { k: 'const', v: value });
    return `:${name}`;
  }

  /** A parameter with an explicit PostgreSQL type, so untyped contexts (a + b, IN lists) still resolve. */
  typed(value: unknown, pgType: string, source?: ParamSource): string {
    return `CAST(${this.add(value, source)} AS ${pgType})`;
  }
}

/** Double-quotes an identifier that comes from the model (never from the client). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Escapes LIKE wildcards so that contains(Name,'50%') matches a literal percent sign. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Collects bound parameters while SQL text is built. Every client value goes through here:
 * nothing a client sends is ever concatenated into SQL text. Names are `p0`, `p1`, ... in
 * TypeORM's `:name` syntax.
 */
export class SqlParams {
  private next = 0;
  readonly values: Record<string, unknown> = {};

  add(value: unknown): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `:${name}`;
  }

  /** A parameter with an explicit PostgreSQL type, so untyped contexts (a + b, IN lists) still resolve. */
  typed(value: unknown, pgType: string): string {
    return `CAST(${this.add(value)} AS ${pgType})`;
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

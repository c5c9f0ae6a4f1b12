import type { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** This code's migrations by name, as TypeORM records them in the `migrations` table. */
const KNOWN = new Set(MIGRATIONS.map((m) => m.name));

export type SchemaState =
  | { status: 'current' }
  /** The code has migrations the database lacks: its queries would name columns that are not there. */
  | { status: 'behind'; pending: string[] }
  /** The database has migrations this code does not know: an older instance would write rows the new schema does not expect. */
  | { status: 'ahead'; unknown: string[] };

export async function schemaState(dataSource: DataSource): Promise<SchemaState> {
  const [{ exists }] = await dataSource.query(`SELECT to_regclass('migrations') IS NOT NULL AS exists`);
  const rows: Array<{ name: string }> = exists ? await dataSource.query('SELECT name FROM migrations') : [];
  const applied = new Set(rows.map((r) => r.name));
  const unknown = [...applied].filter((n) => !KNOWN.has(n));
  if (unknown.length) return { status: 'ahead', unknown };
  const pending = [...KNOWN].filter((n) => !applied.has(n));
  if (pending.length) return { status: 'behind', pending };
  return { status: 'current' };
}

export function describeSchema(s: SchemaState): string {
  return s.status === 'ahead'
    ? `the database has migrations this version does not know (${s.unknown.join(', ')}): run the newer version`
    : s.status === 'behind'
      ? `the database lacks migrations of this version (${s.pending.join(', ')}): run them (npm run migration:run or MIGRATE_ON_START=1)`
      : 'the schema matches';
}

/**
 * An instance serves only a database whose migrations are exactly its own. Checked at start
 * (a mismatch stops the start) and every `intervalMs` after: when a newer instance migrates the
 * database, this one answers 503 (and is not ready) rather than write rows the new schema does
 * not expect, and serves again if the database comes back to its version.
 */
export class SchemaGuard {
  state: SchemaState = { status: 'current' };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: (message: string) => void,
  ) {}

  async start(intervalMs: number): Promise<void> {
    this.state = await schemaState(this.dataSource);
    if (this.state.status !== 'current') throw new Error(`Refusing to start: ${describeSchema(this.state)}`);
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    let next: SchemaState;
    try {
      next = await schemaState(this.dataSource);
    } catch {
      return; // the database is away: the outage handling answers for that
    }
    if (next.status !== this.state.status)
      this.log(
        next.status === 'current' ? 'Schema matches again: serving' : `Not serving: ${describeSchema(next)}`,
      );
    this.state = next;
  }

  /** Why this instance does not serve now (undefined: it does). */
  get refusal(): string | undefined {
    return this.state.status === 'current' ? undefined : describeSchema(this.state);
  }
}

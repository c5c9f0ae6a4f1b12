/**
 * Expected answers computed by SQL from the rules alone (generate_series, never the loaded
 * tables), for any N: the number of matching tasks, the expected rows in key order (or
 * EndDateTime, key for `a`) and their fingerprint.
 */
import type { Client } from 'pg';
import { CREATE_UUID_FUNCTION, ruleNotesJson, ruleTaskJson, uuidSql } from './dataset.sql';
import { fingerprint } from './fingerprint';
import type { FeedCase, ReadCase } from './query-mix';
import type { Row } from './dataset-rules';

export interface Expected {
  /** Tasks matching the filter (the $count, or the rows of a feed). */
  count: number;
  /** Rows in the (first) response. */
  rows: number;
  /** Fewest rows that are still correct (a narrower reading of $search), if it differs. */
  minRows?: number;
  /** The expected rows, in key order. */
  value: Row[] | Row | null;
  fingerprint?: string;
  /** An entity read of a task that is not in the data set. */
  status: number;
}

const series = `generate_series(1, $1::bigint) i`;

export async function expectedRead(client: Client, c: ReadCase, n: number): Promise<Expected> {
  await client.query(CREATE_UUID_FUNCTION);
  const count = Number(
    (await client.query(`SELECT count(*) AS c FROM ${series} WHERE ${c.rule.where}`, [n])).rows[0].c,
  );
  if (c.kind === 'entity') {
    const { rows } = await client.query(
      `SELECT ${ruleTaskJson('i')} AS j FROM ${series} WHERE ${c.rule.where}`,
      [n],
    );
    const value = rows[0]?.j ?? null;
    return {
      count,
      rows: value ? 1 : 0,
      value,
      fingerprint: value ? fingerprint(value) : undefined,
      status: value ? 200 : 404,
    };
  }
  if (c.kind === 'apply') {
    const { rows } = await client.query(
      `SELECT json_agg(json_build_object('ProjectId', ${uuidSql(`'project-' || g.p`)}, 'Count', g.c) ORDER BY ${uuidSql(`'project-' || g.p`)}) AS v
       FROM (SELECT i % 1000 AS p, count(*) AS c FROM ${series} GROUP BY 1) g`,
      [n],
    );
    const value: Row[] = rows[0].v ?? [];
    return {
      count: value.length,
      rows: value.length,
      value,
      fingerprint: fingerprint(value, null),
      status: 200,
    };
  }
  const json = c.expandNotes
    ? `(${ruleTaskJson('x.i')}::jsonb || jsonb_build_object('Notes', COALESCE(${ruleNotesJson('x.i')}::jsonb, '[]'::jsonb)))`
    : ruleTaskJson('x.i');
  const first = c.rule.order === 'end' ? 'i % 730' : '0';
  const { rows } = await client.query(
    `SELECT json_agg(${json} ORDER BY x.o, x.k) AS v
     FROM (SELECT i, ${first} AS o, ${uuidSql(`'task-' || i`)} AS k FROM ${series} WHERE ${c.rule.where}
           ORDER BY 2, 3 OFFSET ${c.rule.offset ?? 0} LIMIT ${c.rule.limit}) x`,
    [n],
  );
  const value: Row[] = rows[0].v ?? [];
  const picked = c.select ? value.map((r) => Object.fromEntries(c.select!.map((k) => [k, r[k]]))) : value;
  let minRows: number | undefined;
  if (c.rule.narrowWhere) {
    const narrow = Number(
      (await client.query(`SELECT count(*) AS c FROM ${series} WHERE ${c.rule.narrowWhere}`, [n])).rows[0].c,
    );
    minRows = Math.min(c.rule.limit, Math.max(0, narrow - (c.rule.offset ?? 0)));
  }
  return { count, rows: value.length, minRows, value, fingerprint: fingerprint(picked), status: 200 };
}

export async function expectedFeedRows(client: Client, c: FeedCase, n: number): Promise<number> {
  return Number(
    (await client.query(`SELECT count(*) AS c FROM ${series} WHERE ${c.rule.where}`, [n])).rows[0].c,
  );
}

/**
 * The "check" column: a response against the rules. Counts and row counts against the expected
 * answer; every row against the rules of its task (found by its Name 'Task <i>') and the case's
 * predicate; then the fingerprint, equal to the expected one when rows come in key order.
 */
import { Row, TASK_PROPERTIES, ruleNotes, ruleTask, taskNumber } from './dataset-rules';
import { DATASET_PROPERTIES, canonical, fingerprint } from './fingerprint';
import type { Expected } from './expected-answers';
import type { ReadCase } from './query-mix';

export interface Verdict {
  ok: boolean;
  problems: string[];
  rows: number;
  count?: number;
  fingerprint?: string;
  /** The fingerprint equals the expected (key-order) one. */
  fingerprintMatches?: boolean;
}

/** Equal after canonicalisation (properties outside the data set's ignored). */
const same = (a: unknown, b: unknown) =>
  JSON.stringify(canonical(a, DATASET_PROPERTIES, false)) ===
  JSON.stringify(canonical(b, DATASET_PROPERTIES, false));

/** Problems of one task row of the data set (empty when it follows the rules). */
export function taskRowProblems(
  row: Row,
  n: number,
  test: (i: number) => boolean,
  opts: { select?: string[]; expandNotes?: boolean } = {},
): string[] {
  const i = taskNumber(row);
  if (i === undefined || i < 1 || i > n)
    return [`row ${JSON.stringify(row.Name)} is not a task of the data set`];
  const rule = ruleTask(i);
  const problems: string[] = [];
  if (String(row.TaskItemId).toLowerCase() !== rule.TaskItemId)
    problems.push(`Task ${i}: key ${row.TaskItemId}`);
  if (!test(i)) problems.push(`Task ${i} does not match the filter`);
  const wanted = opts.select ?? TASK_PROPERTIES;
  for (const p of wanted) {
    if (!(p in row)) problems.push(`Task ${i}: ${p} missing`);
    else if (!same(row[p], rule[p]))
      problems.push(`Task ${i}: ${p} = ${JSON.stringify(row[p])}, rule ${JSON.stringify(rule[p])}`);
  }
  if (opts.expandNotes && !same(row.Notes ?? null, ruleNotes(i)))
    problems.push(`Task ${i}: Notes differ from the rules`);
  return problems;
}

export function checkRead(c: ReadCase, status: number, body: any, expected: Expected, n: number): Verdict {
  const problems: string[] = [];
  if (status !== expected.status)
    return { ok: false, problems: [`HTTP ${status}, expected ${expected.status}`], rows: 0 };
  if (expected.status !== 200) return { ok: true, problems, rows: 0 };

  if (c.kind === 'entity') {
    problems.push(...taskRowProblems(body, n, c.rule.test));
    const fp = fingerprint(body);
    return {
      ok: problems.length === 0,
      problems,
      rows: 1,
      fingerprint: fp,
      fingerprintMatches: fp === expected.fingerprint,
    };
  }

  const value: Row[] = Array.isArray(body?.value) ? body.value : [];
  if (!Array.isArray(body?.value)) problems.push('no value array');
  if (expected.minRows !== undefined) {
    if (value.length < expected.minRows || value.length > expected.rows)
      problems.push(`${value.length} rows, expected ${expected.minRows} to ${expected.rows}`);
  } else if (value.length !== expected.rows) {
    problems.push(`${value.length} rows, expected ${expected.rows}`);
  }

  if (c.kind === 'apply') {
    const want = new Map((expected.value as Row[]).map((r) => [String(r.ProjectId), r.Count]));
    for (const r of value) {
      const key = String(r.ProjectId).toLowerCase();
      if (!want.has(key)) problems.push(`group ${key} is not a project of the data set`);
      else if (Number(r.Count) !== want.get(key))
        problems.push(`group ${key}: Count ${r.Count}, expected ${want.get(key)}`);
    }
    const fp = fingerprint(value, null);
    return {
      ok: problems.length === 0,
      problems: problems.slice(0, 5),
      rows: value.length,
      fingerprint: fp,
      fingerprintMatches: fp === expected.fingerprint,
    };
  }

  let count: number | undefined;
  if (c.count) {
    count = body['@odata.count'];
    if (count !== expected.count) problems.push(`@odata.count = ${count}, expected ${expected.count}`);
  }
  const keys = new Set<string>();
  let previous: string | undefined;
  for (const row of value) {
    problems.push(...taskRowProblems(row, n, c.rule.test, { select: c.select, expandNotes: c.expandNotes }));
    const key = String(row.TaskItemId).toLowerCase();
    if (keys.has(key)) problems.push(`${key} appears twice`);
    keys.add(key);
    if (c.ascending) {
      const v = String(canonical(row[c.ascending], null, false));
      if (previous !== undefined && v < previous) problems.push(`not ascending in ${c.ascending}`);
      previous = v;
    }
  }
  const fp = fingerprint(value);
  return {
    ok: problems.length === 0,
    problems: problems.slice(0, 5),
    rows: value.length,
    count,
    fingerprint: fp,
    fingerprintMatches: fp === expected.fingerprint,
  };
}

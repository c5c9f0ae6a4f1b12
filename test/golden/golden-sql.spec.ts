import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { EdmModel } from '../../src/odata/model/edm-model';
import { appModel } from '../support/edm-model';
import { GOLDEN_CASES, GoldenCase, generate } from './golden-cases';

/** Each case's SQL compared verbatim with test/golden/sql/<name>.sql; UPDATE_GOLDEN=1 rewrites them. */
const DIR = join(__dirname, 'sql');
/**
 * The SQL as generated, with a line break before each space that precedes a clause keyword, so
 * a diff shows which clause changed. Generated SQL has no line breaks: removing them gives it back.
 */
const lines = (sql: string) =>
  sql.replace(/ (?=(?:FROM|WHERE|AND|OR|ORDER BY|GROUP BY|LEFT JOIN|JOIN|LIMIT) )/g, '\n ');
const render = (c: GoldenCase, g: { sql: string; parameters: unknown[] }) =>
  `-- ${c.set}?${c.query}${c.scoped ? '  (scoped)' : ''}${c.kind ? `  [${c.kind}]` : ''}\n` +
  `${lines(g.sql)}\n-- parameters: ${JSON.stringify(g.parameters)}\n`;

describe('golden SQL', () => {
  let dataSource: DataSource;
  let model: EdmModel;
  beforeAll(async () => {
    ({ dataSource, model } = await appModel());
  });

  it('names are unique', () => {
    expect(new Set(GOLDEN_CASES.map((c) => c.name)).size).toBe(GOLDEN_CASES.length);
  });

  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const file = join(DIR, `${c.name}.sql`);
    const text = render(c, generate(dataSource, model, c));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    if (!existsSync(file)) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});

import { ProjectAccessPolicy } from '../../src/features/access/project-access.policy';
import type { EdmModel } from '../../src/odata/model/edm-model';
import { buildApply } from '../../src/odata/sql/apply-to-sql';
import { buildCount, buildSelect } from '../../src/odata/sql/build-select';
import { encodeSkipToken } from '../../src/odata/sql/paging';
import { parseQuery } from '../../src/odata/uri/parse-query-options';
import type { DataSource } from 'typeorm';
import { bindQuery } from '../../src/odata/bind/bind-query';
import { NO_LIMITS } from '../../src/odata/bind/limits';

/**
 * Golden SQL (golden-sql.spec.ts): a fixed list of queries over the app's model whose generated SQL is kept in
 * test/golden/sql/, one file per query, compared verbatim. Any change in generated SQL is a
 * visible diff in review; `UPDATE_GOLDEN=1 npx jest test/golden` rewrites the files.
 * test/odata/golden-sql-runs.e2e-spec.ts runs every statement on PostgreSQL.
 */
export interface GoldenCase {
  name: string;
  set: string;
  query: string;
  /** The read scope of a member of some projects (the app's ProjectAccessPolicy), or none (admin). */
  scoped?: boolean;
  kind?: 'select' | 'count' | 'single' | 'apply';
}

const after = (...values: Array<string | null>) => encodeSkipToken({ after: values, served: 20 });
const T1 = '0b1c0000-0000-4000-8000-000000000001';

export const GOLDEN_CASES: GoldenCase[] = [
  { name: 'plain-feed', set: 'Task', query: '' },
  { name: 'plain-feed-scoped', set: 'Task', query: '', scoped: true },
  { name: 'eq-string', set: 'Task', query: "$filter=Name eq 'Sam'" },
  { name: 'eq-string-scoped', set: 'Task', query: "$filter=Name eq 'Sam'", scoped: true },
  { name: 'eq-null', set: 'Task', query: '$filter=CustomColor eq null' },
  { name: 'ne-column', set: 'Task', query: '$filter=StartDateTime ne EndDateTime' },
  { name: 'eq-column', set: 'Task', query: '$filter=StartDateTime eq EndDateTime' },
  { name: 'not-gt-nullable', set: 'Task', query: '$filter=not (CustomColor gt 5)' },
  { name: 'not-gt-non-nullable', set: 'Task', query: '$filter=not (WorkAmount gt 5)' },
  {
    name: 'not-and-or',
    set: 'Task',
    query: '$filter=not (CustomColor lt 3 or (CustomColor ge 7 and IsDone))',
  },
  { name: 'not-contains', set: 'Task', query: "$filter=not contains(Name,'a')" },
  { name: 'contains-eq-true', set: 'Task', query: "$filter=contains(Name,'a') eq true" },
  { name: 'startswith-eq-false', set: 'Task', query: "$filter=startswith(Name,'D') eq false" },
  { name: 'bool-eq-bool', set: 'Task', query: '$filter=(IsDone eq false) eq true' },
  { name: 'not-in', set: 'Task', query: '$filter=not (CustomColor in (1,2,3))' },
  { name: 'in-list', set: 'Task', query: "$filter=Name in ('a','b')" },
  { name: 'gt-null-literal', set: 'Task', query: '$filter=CustomColor gt null' },
  {
    name: 'arithmetic',
    set: 'Task',
    query: '$filter=WorkAmount add 1 mul 2 gt 3 and CardPositionNumber mod 7 eq 3',
  },
  {
    name: 'arithmetic-scoped',
    set: 'Task',
    query: '$filter=WorkAmount div 2 gt 1 and IsDone',
    scoped: true,
  },
  {
    name: 'div-mod',
    set: 'Task',
    query: '$filter=CardPositionNumber div 2 eq 2 or CardPositionNumber mod 0 eq 1',
  },
  { name: 'negate', set: 'Task', query: '$filter=-CustomColor lt -5' },
  { name: 'quoted-guid', set: 'Task', query: `$filter=ProjectId eq '${T1}'` },
  { name: 'guid', set: 'Task', query: `$filter=ProjectId eq ${T1}` },
  { name: 'dates', set: 'Task', query: '$filter=EndDateTime lt 2025-01-01 and year(StartDateTime) eq 2024' },
  { name: 'duration', set: 'Task', query: "$filter=EndDateTime sub StartDateTime gt duration'P1D'" },
  {
    name: 'string-functions',
    set: 'Task',
    query: "$filter=length(trim(tolower(Name))) gt 3 and indexof(Name,'x') eq -1",
  },
  {
    name: 'substring-scoped',
    set: 'Task',
    query: "$filter=substring(Name,CardPositionNumber) eq 'a'",
    scoped: true,
  },
  {
    name: 'matchespattern-scoped',
    set: 'Task',
    query: '$filter=matchesPattern(Name,DescriptionHTML)',
    scoped: true,
  },
  {
    name: 'round-floor-ceiling',
    set: 'Task',
    query: '$filter=round(WorkAmount) eq 2 or floor(WorkAmount) eq 1 or ceiling(WorkAmount) eq 3',
  },
  {
    name: 'cast',
    set: 'Task',
    query: '$filter=cast(WorkAmount,Edm.Int32) eq 4 and cast(Name,Edm.Int32) eq 1',
  },
  { name: 'navigation', set: 'Task', query: "$filter=Project/Name eq 'B' and Status/OrdinalPosition lt 1" },
  { name: 'navigation-scoped', set: 'Task', query: "$filter=Project/Name eq 'B'", scoped: true },
  { name: 'navigation-null', set: 'Task', query: '$filter=Project eq null' },
  { name: 'lambda-any-primitive', set: 'Task', query: "$filter=Tags/any(t: t eq 'urgent')" },
  { name: 'lambda-all-primitive', set: 'Task', query: "$filter=Tags/all(t: t eq 'home')" },
  { name: 'lambda-any-empty', set: 'Task', query: '$filter=Notes/any()' },
  {
    name: 'lambda-any-entity-scoped',
    set: 'Task',
    query: "$filter=Notes/any(n: contains(n/Note,'a'))",
    scoped: true,
  },
  { name: 'lambda-not-in-lambda', set: 'Task', query: '$filter=Notes/any(n: not (n/Task/CustomColor gt 5))' },
  {
    name: 'lambda-nested-it',
    set: 'Task',
    query: "$filter=Notes/any(n: n/Task/Project/Name eq 'A' and $it/IsDone)",
  },
  {
    name: 'lambda-all-entity',
    set: 'Task',
    query: "$filter=Notes/all(n: startswith(n/Note,'Note') eq false)",
  },
  { name: 'count-navigation', set: 'Task', query: '$filter=Notes/$count eq 2' },
  { name: 'orderby-paths', set: 'Task', query: '$orderby=Project/Name desc,Name&$top=5&$skip=2' },
  { name: 'orderby-arith-scoped', set: 'Task', query: '$orderby=WorkAmount mul 2', scoped: true },
  { name: 'paging-skiptoken', set: 'Task', query: `$orderby=Name&$skiptoken=${after('Task 5', T1)}` },
  {
    name: 'paging-skiptoken-desc',
    set: 'Task',
    query: `$orderby=CustomColor desc&$skiptoken=${after('3', T1)}`,
  },
  { name: 'count-option', set: 'Task', query: '$count=true&$filter=IsDone&$top=3' },
  { name: 'select', set: 'Task', query: '$select=Name,WorkAmount' },
  {
    name: 'compute',
    set: 'Task',
    query: '$compute=WorkAmount mul 2 as W2,W2 add 1 as W3&$filter=W3 gt 4&$orderby=W2&$select=Name,W2,W3',
  },
  {
    name: 'expand-nested',
    set: 'Task',
    query:
      "$expand=Notes($filter=not contains(Note,'x');$orderby=Note desc;$top=2;$skip=1;$count=true;$select=Note),Project($select=Name)",
  },
  {
    name: 'expand-nested-scoped',
    set: 'Task',
    query: '$expand=Notes($expand=Task($select=Name)),Status',
    scoped: true,
  },
  { name: 'expand-ref', set: 'Task', query: '$expand=Notes/$ref' },
  { name: 'expand-star', set: 'TaskItemNote', query: '$expand=*' },
  { name: 'search', set: 'Task', query: '$search=blue OR "red car"' },
  { name: 'search-not-scoped', set: 'Task', query: '$search=blue AND NOT red', scoped: true },
  { name: 'search-substring', set: 'Project', query: '$search=alpha' },
  { name: 'single', set: 'Task', query: '$select=Name&$expand=Project', kind: 'single' },
  { name: 'count-path', set: 'Task', query: '$filter=not (CustomColor gt 5)', kind: 'count' },
  {
    name: 'count-path-scoped',
    set: 'Task',
    query: "$filter=Name eq 'x'&$search=blue",
    kind: 'count',
    scoped: true,
  },
  {
    name: 'apply-groupby',
    set: 'Task',
    query: '$apply=groupby((ProjectId,IsDone),aggregate($count as C))',
    kind: 'apply',
  },
  {
    name: 'apply-navigation-scoped',
    set: 'Task',
    query:
      '$apply=filter(WorkAmount gt 1)/groupby((Project/Name),aggregate(WorkAmount with sum as Total,WorkAmount with average as Avg))&$filter=Total gt 2&$orderby=Project/Name&$top=2',
    kind: 'apply',
    scoped: true,
  },
  {
    name: 'apply-filter-after-group',
    set: 'Task',
    query: '$apply=groupby((IsDone),aggregate(CustomColor with max as M))/filter(not (M gt 3))&$count=true',
    kind: 'apply',
  },
  {
    name: 'apply-aggregate',
    set: 'Task',
    query: '$apply=aggregate(WorkAmount with min as Lo,ProjectId with countdistinct as P)',
    kind: 'apply',
  },
  {
    name: 'dynamic-scoped',
    set: 'DynamicTaskItem',
    query: '$select=TaskItem_Name,Permission_CanEdit&$filter=Permission_CanEdit',
    scoped: true,
  },
];

const LIMITS = { maxTop: 1000, maxExpandDepth: 3, maxInList: 100, maxFilterNodes: 200 };
const CALLER = {
  id: '00000000-0000-4000-8000-0000000000c1',
  contactId: '00000000-0000-4000-8000-0000000000c1',
  isAdmin: false,
};

/** The generated SQL and parameters of one case. */
export function generate(
  dataSource: DataSource,
  model: EdmModel,
  c: GoldenCase,
): { sql: string; parameters: unknown[] } {
  const type = model.sets.get(c.set)!;
  const limits = c.kind === 'apply' ? { ...NO_LIMITS, maxInList: LIMITS.maxInList } : LIMITS;
  const query = bindQuery({ model, type, query: parseQuery(c.query), limits });
  const policy = new ProjectAccessPolicy();
  const scope = c.scoped ? policy.readScope(CALLER) : undefined;
  const callerProperties = c.scoped
    ? (t: typeof type, alias: string, params: Parameters<typeof policy.callerProperties>[3]) =>
        policy.callerProperties(t, alias, CALLER, params)
    : undefined;
  const base = { model, type, query, scopes: [], scope };
  switch (c.kind ?? 'select') {
    case 'count':
      return buildCount(dataSource, base);
    case 'apply':
      return buildApply(dataSource, { ...base, pageSize: 100 });
    case 'single':
      return buildSelect(dataSource, {
        ...base,
        metadata: 'minimal',
        pageSize: 1,
        single: true,
        callerProperties,
      });
    case 'select':
      return buildSelect(dataSource, { ...base, metadata: 'minimal', pageSize: 100, callerProperties });
  }
}

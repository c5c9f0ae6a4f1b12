/**
 * The query mix: DATASET.md's cases exactly as written (a .. f, the three feeds, g-post, g-patch),
 * then the service's own ($search, $apply, the deep page through nextLink, BatchInsert,
 * MoveTaskItem). Each read case carries the rule for its expected answer (a predicate on the
 * task number i, as SQL and as TypeScript) and the SQL the floor server answers it with.
 */
import { P10, P7, P999, T12345, uuid } from './dataset-rules';

/** Server page size the expected answers assume (the service's default ODATA_MAX_PAGE_SIZE). */
export const PAGE_SIZE = 1000;

/** What the floor runs for a read: plain SQL on `task t`, same filter and order as the service. */
export interface FloorQuery {
  where?: string;
  params?: unknown[];
  /** A property ordered before the key (nulls first, as OData sorts); the key always ends the order. */
  orderBy?: string;
  top?: number;
  skip?: number;
  count?: boolean;
  select?: string[];
  expandNotes?: boolean;
  /** A single entity by key: `Task(<key>)`. */
  key?: string;
  /** $search of one phrase: full text like the service when the tables have "SearchVector", else ILIKE. */
  search?: string;
  /** A ready statement returning the response's rows: for $apply. */
  raw?: string;
}

/** The expected answer of a read, from the rules (SQL over generate_series in run-bench.ts). */
export interface RuleQuery {
  /** Predicate on the task number i (SQL, `i` bigint). */
  where: string;
  /** Same predicate in TypeScript, to validate each returned row on its own. */
  test: (i: number) => boolean;
  /** Sort of the expected rows: by key, or EndDateTime then key. */
  order: 'key' | 'end';
  /** Rows skipped before the expected rows. */
  offset?: number;
  /** Rows the response holds at most (a $top, or the server page). */
  limit: number;
  /**
   * $search semantics are the service's to define: `where` is the widest reading (substring),
   * `narrowWhere` the narrowest (whole words); any row count in between is correct.
   */
  narrowWhere?: string;
}

export type ReadKind = 'collection' | 'entity' | 'apply';

export interface ReadCase {
  id: string;
  /** The request as written (relative to /odata/), before URL encoding. */
  request: string;
  kind: ReadKind;
  /** In DATASET.md's mix (compared across systems) or the service's own. */
  dataset: boolean;
  rule: RuleQuery;
  count?: boolean;
  select?: string[];
  expandNotes?: boolean;
  /** The rows are checked to be ascending in this property. */
  ascending?: string;
  floor: FloorQuery;
  /** Path used for the load test, if it is not `request` (the deep page: found by following links). */
  deepPage?: boolean;
  connections?: number[];
}

export interface FeedCase {
  id: string;
  request: string;
  rule: Pick<RuleQuery, 'where' | 'test'>;
  floor: FloorQuery;
  /** Pulled by a few clients at once for the duration, or once (the whole table). */
  once?: boolean;
}

export type WriteKind = 'post' | 'patch' | 'batch' | 'move';
export interface WriteCase {
  id: string;
  request: string;
  kind: WriteKind;
  dataset: boolean;
  connections?: number[];
}

const all = { where: 'true', test: () => true };
const notDone = (i: number) => i % 3 !== 0;
/** e(i) < 2025-03-01 <=> i % 730 < 59 (Jan 31 + Feb 28 days); < 2025-02-01 <=> i % 730 < 31. */
const beforeMarch = (i: number) => i % 730 < 59;
const beforeFebruary = (i: number) => i % 730 < 31;

export function readCases(n: number): ReadCase[] {
  const lastPage = Math.max(1, Math.min(1000, Math.ceil(n / PAGE_SIZE)));
  return [
    {
      id: 'a',
      dataset: true,
      kind: 'collection',
      ascending: 'EndDateTime',
      request: `Task?$filter=ProjectId eq ${P7} and IsDone eq false&$orderby=EndDateTime&$top=50`,
      rule: {
        where: 'i % 1000 = 7 AND i % 3 <> 0',
        test: (i) => i % 1000 === 7 && notDone(i),
        order: 'end',
        limit: 50,
      },
      floor: {
        where: `t."ProjectId" = $1 AND t."IsDone" = false`,
        params: [P7],
        orderBy: 'EndDateTime',
        top: 50,
      },
    },
    {
      id: 'b',
      dataset: true,
      kind: 'collection',
      count: true,
      select: ['TaskItemId', 'Name', 'EndDateTime'],
      request: `Task?$filter=EndDateTime lt 2025-03-01T00:00:00Z and IsDone eq false&$count=true&$top=20&$select=TaskItemId,Name,EndDateTime`,
      rule: {
        where: 'i % 730 < 59 AND i % 3 <> 0',
        test: (i) => beforeMarch(i) && notDone(i),
        order: 'key',
        limit: 20,
      },
      floor: {
        where: `t."EndDateTime" < $1 AND t."IsDone" = false`,
        params: ['2025-03-01T00:00:00Z'],
        top: 20,
        count: true,
        select: ['TaskItemId', 'Name', 'EndDateTime'],
      },
    },
    {
      id: 'c',
      dataset: true,
      kind: 'entity',
      request: `Task(${T12345})`,
      rule: { where: 'i = 12345', test: (i) => i === 12345, order: 'key', limit: 1 },
      floor: { key: T12345 },
    },
    {
      id: 'd',
      dataset: true,
      kind: 'collection',
      request: `Task?$filter=contains(Name,'999')&$top=100`,
      rule: {
        where: `i::text LIKE '%999%'`,
        test: (i) => String(i).includes('999'),
        order: 'key',
        limit: 100,
      },
      floor: { where: `t."Name" LIKE $1`, params: ['%999%'], top: 100 },
    },
    {
      id: 'e',
      dataset: true,
      kind: 'collection',
      expandNotes: true,
      request: `Task?$expand=Notes&$filter=ProjectId eq ${P10}&$top=50`,
      rule: { where: 'i % 1000 = 10', test: (i) => i % 1000 === 10, order: 'key', limit: 50 },
      floor: { where: `t."ProjectId" = $1`, params: [P10], top: 50, expandNotes: true },
    },
    {
      id: 'f',
      dataset: true,
      kind: 'collection',
      request: `Task?$top=5000&$skip=200000`,
      rule: { ...all, order: 'key', offset: 200000, limit: Math.min(5000, PAGE_SIZE) },
      floor: { top: 5000, skip: 200000 },
    },
    {
      id: 'search',
      dataset: false,
      kind: 'collection',
      request: `Task?$search="12345"&$top=50`,
      rule: {
        where: `i::text LIKE '%12345%'`,
        narrowWhere: 'i = 12345',
        test: (i) => String(i).includes('12345'),
        order: 'key',
        limit: 50,
      },
      floor: { search: '12345', top: 50 },
    },
    {
      id: 'apply',
      dataset: false,
      kind: 'apply',
      request: `Task?$apply=groupby((ProjectId),aggregate($count as Count))`,
      rule: { ...all, order: 'key', limit: Math.min(n, 1000) },
      floor: {
        raw: `SELECT t."ProjectId", count(*)::int AS "Count" FROM task t GROUP BY t."ProjectId" ORDER BY t."ProjectId"`,
      },
    },
    {
      id: 'page-1',
      dataset: false,
      kind: 'collection',
      request: `Task`,
      rule: { ...all, order: 'key', limit: PAGE_SIZE },
      floor: {},
    },
    {
      id: `page-${lastPage}`,
      dataset: false,
      kind: 'collection',
      deepPage: true,
      request: `Task`,
      rule: { ...all, order: 'key', offset: (lastPage - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      floor: {},
    },
  ];
}

export const FEED_CASES: FeedCase[] = [
  {
    id: 'f-feed',
    request: `Task?$filter=ProjectId eq ${P7}`,
    rule: { where: 'i % 1000 = 7', test: (i) => i % 1000 === 7 },
    floor: { where: `t."ProjectId" = $1`, params: [P7] },
  },
  {
    id: 'f-feed-big',
    request: `Task?$filter=EndDateTime lt 2025-02-01T00:00:00Z`,
    rule: { where: 'i % 730 < 31', test: beforeFebruary },
    floor: { where: `t."EndDateTime" < $1`, params: ['2025-02-01T00:00:00Z'] },
  },
  { id: 'f-feed-all', request: `Task`, rule: all, floor: {}, once: true },
];

export const WRITE_CASES: WriteCase[] = [
  { id: 'g-post', dataset: true, kind: 'post', request: 'POST Task' },
  { id: 'g-patch', dataset: true, kind: 'patch', request: 'PATCH Task(<bench task>) {"IsDone": true}' },
  {
    id: 'batch-insert',
    dataset: false,
    kind: 'batch',
    request: 'POST Task/BatchInsert {"items":[1,000 tasks]}',
    connections: [1, 4, 16],
  },
  {
    id: 'move-task',
    dataset: false,
    kind: 'move',
    request: 'POST Task(<bench task>)/MoveTaskItem after a middle card of the busiest column',
    connections: [1, 4, 16],
  },
];

/** DATASET.md's expected answers for N = 1,000,000 (a harness self-check when N is that). */
export const MILLION_EXPECTED: Record<string, { count?: number; rows?: number; fingerprint?: string }> = {
  a: { rows: 50, fingerprint: 'dda88cbd' },
  b: { count: 53887, rows: 20, fingerprint: '79e13783' },
  c: { fingerprint: 'ae9d369d' },
  d: { count: 3700, rows: 100, fingerprint: '491c545f' },
  e: { rows: 50, fingerprint: '54f7da2e' },
  f: { rows: 1000, fingerprint: 'df18dff5' },
  'f-feed': { count: 1000 },
  'f-feed-big': { count: 42469 },
};

/** URL form of a request: spaces and double quotes encoded, the rest as written. */
export const encodeRequest = (request: string) => request.replace(/ /g, '%20').replace(/"/g, '%22');

// ---- the bench tasks written by the write cases: keys ffffffff-..., project 999, dates in 2030 ----

export const BENCH_PROJECT = P999;
/** Column of the tasks POST and BatchInsert create (Backlog), and of the movers before they move (To do). */
export const BENCH_STATUS = uuid('status-999-0');
export const MOVERS_STATUS = uuid('status-999-1');
/** The busiest Kanban column of project 999: Done (s = 4) holds every i % 1000 = 999, i % 3 = 0. */
export const BUSY_STATUS = uuid('status-999-4');
export const BENCH_DATES_FROM = '2030-01-01T00:00:00Z';

/** Data set cards in the busy column: i = 999 + 3000 k <= N (334 at N = 1,000,000). */
export function busyColumnCards(n: number): number {
  return n < 999 ? 0 : Math.floor((n - 999) / 3000) + 1;
}

/** A card in the middle of the busy column, for MoveTaskItem's afterTaskItemId. */
export function busyColumnMiddleCard(n: number): string | null {
  if (n < 999) return null;
  return uuid(`task-${999 + 3000 * Math.floor(busyColumnCards(n) / 2)}`);
}

const hex = (v: number, width: number) => v.toString(16).padStart(width, '0').slice(-width);
/** ffffffff-rrrr-4ccc-8ccc-cccccccccccc: run r, counter c. */
export function benchKey(run: number, counter: number): string {
  const c = hex(counter, 18);
  return `ffffffff-${hex(run, 4)}-4${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6, 18)}`;
}

export function benchTask(key: string, label: string): Record<string, unknown> {
  return {
    TaskItemId: key,
    Name: `bench ${label}`,
    ProjectId: BENCH_PROJECT,
    TaskItemStatusId: BENCH_STATUS,
    ContactId: uuid('contact-1'),
    StartDateTime: '2030-01-01T00:00:00Z',
    EndDateTime: '2030-01-02T00:00:00Z',
    WorkAmount: 1.5,
    IsBillable: true,
    DescriptionHTML: '<p>bench</p>',
  };
}

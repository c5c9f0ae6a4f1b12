/**
 * The soak's request mix: what a day of use looks like, drawn at random per request by weight.
 * Reads hit the data set (random tasks and projects); writes only touch bench tasks (names
 * 'bench ...', dates in 2030), which write-cases.ts removes afterwards. Feed pulls go on across
 * requests: a page's @odata.nextLink is kept and the next feed request follows it, so whole feeds
 * (up to every task) are pulled page by page amid the rest.
 */
import { benchKey, benchTask, encodeRequest } from './query-mix';
import { uuid } from './dataset-rules';

export type SoakOp =
  'read' | 'page' | 'count-page' | 'board' | 'patch' | 'move' | 'feed' | 'batch' | 'insert' | 'delete';

/** Weights in percent of requests. */
export const SOAK_WEIGHTS: Record<SoakOp, number> = {
  read: 30, // Task(<key>)
  page: 12, // a project's open tasks by due date, $top=50
  'count-page': 5, // due before a date, $count, $select, $top=20
  board: 10, // a project's board: every card by CardPositionNumber
  patch: 10, // PATCH a task
  move: 6, // MoveTaskItem to the top of another column
  feed: 8, // one page of a feed pull (the first, or the next through nextLink)
  batch: 7, // JSON $batch: three reads and a PATCH in a change set
  insert: 6, // BatchInsert of 5 tasks
  delete: 6, // BatchDelete of 5 tasks inserted earlier
};

export const SOAK_REQUESTS: Record<SoakOp, string> = {
  read: 'GET Task(<random task>)',
  page: 'GET Task?$filter=ProjectId eq <random project> and IsDone eq false&$orderby=EndDateTime&$top=50',
  'count-page':
    'GET Task?$filter=EndDateTime lt <random day> and IsDone eq false&$count=true&$top=20&$select=TaskItemId,Name,EndDateTime',
  board: 'GET Task?$filter=ProjectId eq <random project>&$orderby=CardPositionNumber',
  patch: 'PATCH Task(<bench task>) {"WorkAmount": …}',
  move: 'POST Task(<bench task>)/MoveTaskItem {"taskItemStatusId": <another column of its project>, "afterTaskItemId": null}: 64 cards in 16 projects, never one card twice at once',
  feed: 'GET the next @odata.nextLink of a running pull, else the first page of Task?$filter=ProjectId eq <p> (1 page at 100k), Task?$filter=EndDateTime lt 2025-02-01T00:00:00Z (5 pages) or Task (every task)',
  batch:
    'POST $batch (JSON): GET Task(<task>), GET Task?$filter=ProjectId eq <p>&$top=10&$select=Name,EndDateTime, GET Task/$count?$filter=ProjectId eq <p>, PATCH Task(<bench task>) in a change set',
  insert: 'POST Task/BatchInsert {"items": [5 tasks]}',
  delete: 'POST Task/BatchDelete {"TaskItemIds": [5 tasks inserted earlier]}',
};

/** A card the mix moves, and the project whose columns 1..3 it moves between. */
export interface Mover {
  key: string;
  project: number;
}
/** The columns a mover moves between: To do, Doing, Review of its project (not Backlog nor Done). */
const moveColumns = (project: number) => [1, 2, 3].map((s) => uuid(`status-${project}-${s}`));
const FEED_STARTS: Array<{ weight: number; path: (p: string) => string }> = [
  { weight: 3, path: (p) => `Task?$filter=ProjectId eq ${p}` },
  { weight: 2, path: () => `Task?$filter=EndDateTime lt 2025-02-01T00:00:00Z` },
  { weight: 1, path: () => 'Task' },
];
const NEXT_LINK = /"@odata\.nextLink"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const JSON_TYPE = { 'content-type': 'application/json', accept: 'application/json' };

export interface OpTally {
  requests: number;
  /** Non-2xx answers (a $batch part that failed counts here too). */
  failures: number;
  latencies: number[];
}

export interface FailureSample {
  op: SoakOp;
  status: number;
  body: string;
}

interface Context {
  op?: SoakOp;
  t0?: number;
  inserted?: string[];
  deleting?: string[];
  moving?: string;
}

/** The mix's state: keys to write, feed links to follow, tasks to delete; and what each op got. */
export class SoakMix {
  private counter = 1;
  private turn = 0;
  private readonly links: string[] = [];
  private readonly inserted: string[] = [];
  /** Movers with a move in flight, and since when. */
  private readonly moving = new Map<string, number>();
  readonly tally = new Map<SoakOp, OpTally>();
  readonly failureSamples: FailureSample[] = [];
  /** Called for every failed request (the harness counts them per window). */
  onFailure?: () => void;
  private readonly ops: SoakOp[];
  private readonly cumulative: number[];

  /**
   * @param n tasks in the data set
   * @param movers bench tasks moved between the columns of their projects
   * @param patchable bench tasks PATCHed (not movers)
   */
  constructor(
    private readonly n: number,
    private readonly run: number,
    private readonly movers: Mover[],
    private readonly patchable: string[],
    private readonly origin: string,
  ) {
    this.ops = Object.keys(SOAK_WEIGHTS) as SoakOp[];
    let sum = 0;
    this.cumulative = this.ops.map((op) => (sum += SOAK_WEIGHTS[op]));
  }

  /** Clears the tallies (kept: links to follow, tasks to delete). */
  resetTally(): void {
    this.tally.clear();
    this.failureSamples.length = 0;
  }

  private pick(): SoakOp {
    const x = Math.random() * this.cumulative[this.cumulative.length - 1];
    return this.ops[this.cumulative.findIndex((c) => x < c)];
  }

  private task = () => uuid(`task-${1 + Math.floor(Math.random() * this.n)}`);
  private project = () => uuid(`project-${Math.floor(Math.random() * 1000)}`);
  private next = <T>(list: T[]) => list[this.turn++ % list.length];

  /** The autocannon request: each call draws an op and fills in path, method and body. */
  request(headers: Record<string, string>) {
    return {
      method: 'GET' as const,
      path: '/odata/',
      headers,
      setupRequest: (req: any, context: Context) => this.setup(req, context, headers),
      onResponse: (status: number, body: string, context: Context) => this.settled(status, body, context),
    };
  }

  private setup(req: any, context: Context, headers: Record<string, string>) {
    let op = this.pick();
    if (op === 'delete' && this.inserted.length < 5) op = 'insert';
    context.op = op;
    context.t0 = performance.now();
    context.inserted = undefined;
    context.deleting = undefined;
    context.moving = undefined;
    const get = (path: string) => ({
      ...req,
      method: 'GET',
      path: `/odata/${encodeRequest(path)}`,
      headers,
      body: undefined,
    });
    const post = (path: string, body: unknown, method = 'POST') => ({
      ...req,
      method,
      path: `/odata/${path}`,
      headers: { ...headers, ...JSON_TYPE },
      body: JSON.stringify(body),
    });
    switch (op) {
      case 'read':
        return get(`Task(${this.task()})`);
      case 'page':
        return get(
          `Task?$filter=ProjectId eq ${this.project()} and IsDone eq false&$orderby=EndDateTime&$top=50`,
        );
      case 'count-page': {
        const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(Math.random() * 730) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        return get(
          `Task?$filter=EndDateTime lt ${day}T00:00:00Z and IsDone eq false&$count=true&$top=20&$select=TaskItemId,Name,EndDateTime`,
        );
      }
      case 'board':
        return get(`Task?$filter=ProjectId eq ${this.project()}&$orderby=CardPositionNumber`);
      case 'patch':
        return post(`Task(${this.next(this.patchable)})`, { WorkAmount: (this.turn % 40) / 2 }, 'PATCH');
      case 'move': {
        const card = this.freeMover();
        if (!card) {
          context.op = 'read';
          return get(`Task(${this.task()})`);
        }
        context.moving = card.key;
        const column = moveColumns(card.project)[Math.floor(Math.random() * 3)];
        return post(`Task(${card.key})/MoveTaskItem`, { taskItemStatusId: column, afterTaskItemId: null });
      }
      case 'feed': {
        const link = this.links.shift();
        if (link)
          return {
            ...req,
            method: 'GET',
            path: link.startsWith('http') ? link.slice(this.origin.length) : link,
            headers,
            body: undefined,
          };
        const total = FEED_STARTS.reduce((s, f) => s + f.weight, 0);
        let x = Math.random() * total;
        const start = FEED_STARTS.find((f) => (x -= f.weight) < 0) ?? FEED_STARTS[0];
        return get(start.path(this.project()));
      }
      case 'batch': {
        const p = this.project();
        return post('$batch', {
          requests: [
            { id: '1', method: 'GET', url: `Task(${this.task()})` },
            {
              id: '2',
              method: 'GET',
              url: encodeRequest(`Task?$filter=ProjectId eq ${p}&$top=10&$select=Name,EndDateTime`),
            },
            { id: '3', method: 'GET', url: encodeRequest(`Task/$count?$filter=ProjectId eq ${p}`) },
            {
              id: '4',
              method: 'PATCH',
              url: `Task(${this.next(this.patchable)})`,
              headers: { 'content-type': 'application/json' },
              body: { WorkAmount: 1 },
              atomicityGroup: 'g',
            },
          ],
        });
      }
      case 'insert': {
        const keys = Array.from({ length: 5 }, () => benchKey(this.run, this.counter++));
        context.inserted = keys;
        return post('Task/BatchInsert', { items: keys.map((k) => benchTask(k, `soak ${k}`)) });
      }
      case 'delete': {
        const keys = this.inserted.splice(0, 5);
        context.deleting = keys;
        return post('Task/BatchDelete', { TaskItemIds: keys });
      }
    }
  }

  /**
   * A mover no request is moving now: one person drags a card at a time. (Two moves of one card
   * at once send the second one through MoveTaskItem's retry, which takes the column locks
   * while it already holds the card: under load that deadlocks with a third move and answers
   * 409.) A move without an answer after 60 s (a timeout) no longer counts.
   */
  private freeMover(): Mover | undefined {
    const now = performance.now();
    for (let i = 0; i < this.movers.length; i++) {
      const card = this.next(this.movers);
      const since = this.moving.get(card.key);
      if (since === undefined || now - since > 60_000) {
        this.moving.set(card.key, now);
        return card;
      }
    }
    return undefined;
  }

  private settled(status: number, body: string, context: Context): void {
    const op = context.op;
    if (!op) return;
    if (context.moving) this.moving.delete(context.moving);
    const t = this.tally.get(op) ?? { requests: 0, failures: 0, latencies: [] };
    this.tally.set(op, t);
    t.requests++;
    if (context.t0 !== undefined) t.latencies.push(performance.now() - context.t0);
    let ok = status >= 200 && status < 300;
    if (ok && op === 'batch') {
      // The $batch itself answers 200; each of its requests has a status of its own.
      try {
        ok = (JSON.parse(body).responses as Array<{ status: number }>).every(
          (r) => r.status >= 200 && r.status < 300,
        );
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      t.failures++;
      this.onFailure?.();
      if (this.failureSamples.length < 20) this.failureSamples.push({ op, status, body: body.slice(0, 300) });
      // tasks not deleted stay for a later delete (or the clean-up)
      if (op === 'delete' && context.deleting) this.inserted.push(...context.deleting);
      return;
    }
    if (op === 'insert' && context.inserted) this.inserted.push(...context.inserted);
    if (op === 'feed') {
      const m = NEXT_LINK.exec(body.length > 4096 ? body.slice(-4096) : body);
      if (m && this.links.length < 64) this.links.push(JSON.parse(`"${m[1]}"`));
    }
  }
}

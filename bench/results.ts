/** The shape of a benchmark run's results (bench/results/*.json, and what report.ts renders). */
import type { LoadResult, FeedLoad } from './http-load';
import type { PlanEntry } from './explain';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  postgres: string;
  os: string;
}

export interface AnswerCheck {
  status: number;
  ok: boolean;
  problems: string[];
  rows: number;
  count?: number;
  fingerprint?: string;
  fingerprintMatches?: boolean;
}

export interface ReadRun {
  connections: number;
  service: LoadResult & { peakRssMb: number };
  floor?: LoadResult;
  /** service req/s / floor req/s */
  ratio?: number;
}

export interface ReadResult {
  id: string;
  request: string;
  dataset: boolean;
  supported: boolean;
  note?: string;
  expected: {
    status: number;
    count: number;
    rows: number;
    minRows?: number;
    fingerprint?: string;
    datasetMd?: { count?: number; rows?: number; fingerprint?: string };
  };
  service?: AnswerCheck;
  floor?: AnswerCheck;
  runs: ReadRun[];
}

export interface FeedResult {
  id: string;
  request: string;
  expectedRows: number;
  supported: boolean;
  note?: string;
  service?: { ok: boolean; rows: number; pages: number; problems: string[] };
  floor?: { ok: boolean; rows: number; pages: number; problems: string[] };
  runs: Array<{
    clients: number;
    service: FeedLoad & { peakRssMb: number };
    floor?: FeedLoad;
    ratio?: number;
  }>;
}

export interface WriteResult {
  id: string;
  request: string;
  dataset: boolean;
  supported: boolean;
  status?: number;
  note?: string;
  /** Tasks written per request (1,000 for BatchInsert). */
  itemsPerRequest: number;
  /** The floor's probe (POST and PATCH only: the floor answers no other write). */
  floorCheck?: { status: number; ok: boolean; note: string };
  runs: Array<{
    connections: number;
    service: LoadResult & { peakRssMb: number };
    floor?: LoadResult;
    /** service req/s / floor req/s */
    ratio?: number;
  }>;
}

/** One pull of the whole table (f-feed-all) for its memory: in a fresh process, or after the other cases. */
export interface FeedMemory {
  /** How the service process got there. */
  when: string;
  ok: boolean;
  rows: number;
  ms: number;
  rowsPerSecond: number;
  startRssMb: number;
  peakRssMb: number;
  problem?: string;
}

/** Issue 19: a delta link followed after a known set of changes. */
export interface DeltaResult {
  id: string;
  request: string;
  /** Rows of the tracked read that issued the link, and its time. */
  trackedRows: number;
  trackedMs: number;
  changes: { updated: number; created: number; deleted: number };
  /** How the changes were made (API requests, SQL) and how long they took. */
  changedBy: string;
  changeMs: number;
  /** The delta: entries returned, pages, timings of each follow (ms), rows/s of the median. */
  entries: number;
  pages: number;
  followMs: number[];
  medianMs: number;
  entriesPerSecond: number;
  /** Following the delta's own new link right away (no changes since). */
  emptyMs?: number;
  /** The same set read again in full (what a client without delta does), for scale. */
  fullReadMs?: number;
  ok: boolean;
  problems: string[];
}

export interface Target {
  name: string;
  pass: boolean | null;
  detail: string;
}

export interface BenchResults {
  date: string;
  mode: 'quick' | 'full' | 'custom';
  tasks: number;
  secondsPerRun: number;
  connections: number[];
  machine: Machine;
  database: { where: string; sizeMb: number; taskTableMb: number; loadSeconds?: number };
  service: { settings: string; startMb: number; hwmMb: number };
  reads: ReadResult[];
  feeds: FeedResult[];
  writes: WriteResult[];
  /** f-feed-all's memory measured apart from the feeds phase (issue 17). */
  feedMemory?: FeedMemory[];
  delta?: DeltaResult;
  plans: PlanEntry[];
  targets: Target[];
  harnessProblems: string[];
  wallSeconds: number;
}

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
  runs: Array<{ connections: number; service: LoadResult & { peakRssMb: number } }>;
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
  plans: PlanEntry[];
  targets: Target[];
  harnessProblems: string[];
  wallSeconds: number;
}

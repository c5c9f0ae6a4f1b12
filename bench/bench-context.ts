/** What every case runner needs: the two servers, the database session, the run's settings. */
import type { Client } from 'pg';
import type { Child } from './processes';

export interface BenchContext {
  n: number;
  seconds: number;
  connections: number[];
  service: Child;
  floor: Child;
  client: Client;
  /** Problems of the harness or the run (not of the service's answers), listed in the report. */
  problems: string[];
  log: (line: string) => void;
  /** Checks both servers after a run; one that died or hangs is reported and restarted (ctx updated). */
  revive: (after: string) => Promise<void>;
}

/** Every single request of the harness gives up after this (a stuck server must not stall the run). */
export const REQUEST_TIMEOUT_MS = 30_000;
export const timeout = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers, signal: timeout() });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** `/odata/...?...` of an absolute URL, exactly as written (no re-encoding). */
export function pathOf(url: string): string {
  return url.slice(new URL(url).origin.length);
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/access-policy';
import type { ParsedRequest } from '../uri/parse-request';

/** A request as the protocol core sees it: the same shape for HTTP and for $batch parts. */
export interface ODataRequest {
  method: string;
  /** Path below the service root, e.g. `/Task(…)/Notes`. */
  path: string;
  /** Raw query string without `?`. */
  search: string;
  headers: Record<string, string | undefined>;
  body?: string;
  /** Absolute service root, e.g. http://localhost:3000/odata */
  serviceRoot: string;
  /** Who is calling, once authenticated (opaque to the core: the access policy reads it). */
  caller?: Caller;
  /** The URL parsed once, when the HTTP binding has already parsed it for admission. */
  parsed?: ParsedRequest;
  /** Set for every request of a $batch (a $batch inside one is refused). */
  inBatch?: boolean;
  /** Set inside a $batch change set: the request joins that transaction. */
  transaction?: EntityManager;
  /** Set by a write's commit: the WAL position after it (the response's consistency token). */
  committedAt?: string;
}

export interface ODataResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
  /** For logs and metrics, not sent: entities written, requests in a $batch, time spent in the database. */
  meta?: { rows?: number; batchSize?: number; dbMs?: number };
}

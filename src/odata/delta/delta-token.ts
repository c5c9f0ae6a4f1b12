import { createHash } from 'node:crypto';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { Caller } from '../access/access-policy';
import type { QueryOptions } from '../query/odata-query';

/**
 * The state behind a delta link: the entity set, a fingerprint of the defining query ($filter,
 * $select), the caller, and the PostgreSQL snapshot (pg_current_snapshot()) of the read that
 * issued it. Opaque to clients (base64url JSON with a checksum). It grants nothing: a delta is
 * read in the caller's scope like any read, so a forged token can only confuse its forger; the
 * bindings exist so that a client that mixes up links is told (400) rather than served wrong data.
 */
export interface DeltaToken {
  set: string;
  query: string;
  caller: string;
  /** pg_snapshot text: xmin:xmax:xip,... */
  snapshot: string;
  /** When the link was issued (ms since the epoch): older than the retention is 410 Gone. */
  issued: number;
}

const SNAPSHOT = /^\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20})*)?$/;
/** A snapshot lists the transactions in progress; beyond this the token is not ours. */
const MAX_TOKEN_LENGTH = 16_000;

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('base64url').slice(0, length);

/** The defining query, normalised (the parsed IR, so encodings of the same text agree). */
export function queryFingerprint(set: string, query: Pick<QueryOptions, 'filter' | 'select'>): string {
  return digest(JSON.stringify([set, query.filter ?? null, query.select ?? null]), 22);
}

export function callerId(caller?: Caller): string {
  return caller ? `c:${caller.id}` : '';
}

export function encodeDeltaToken(t: DeltaToken): string {
  const body = [t.set, t.query, t.caller, t.snapshot, t.issued];
  const json = JSON.stringify([...body, digest(JSON.stringify(body), 8)]);
  return Buffer.from(json).toString('base64url');
}

function malformed(): ODataError {
  return ODataError.badRequest('The delta token is not valid', '$deltatoken', ErrorCode.BadQueryOption);
}

export function decodeDeltaToken(text: string): DeltaToken {
  if (text.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw malformed();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parts) || parts.length !== 6) throw malformed();
  const [set, query, caller, snapshot, issued, check] = parts;
  const valid =
    typeof set === 'string' &&
    typeof query === 'string' &&
    typeof caller === 'string' &&
    typeof snapshot === 'string' &&
    SNAPSHOT.test(snapshot) &&
    Number.isSafeInteger(issued) &&
    check === digest(JSON.stringify(parts.slice(0, 5)), 8);
  if (!valid) throw malformed();
  return { set, query, caller, snapshot, issued: issued as number };
}

/**
 * The $skiptoken of a tracked feed's next page: the page's own position, then the delta token the
 * feed's last page will issue (taken when its first page was read, so nothing written while the
 * client pages is missed).
 */
export function wrapSkipToken(position: string, token: string): string {
  return `${position}.${token}`;
}

export function unwrapSkipToken(skiptoken: string): { position: string; token: string } {
  const dot = skiptoken.lastIndexOf('.');
  if (dot < 0)
    throw ODataError.badRequest('The $skiptoken is not valid', '$skiptoken', ErrorCode.BadQueryOption);
  return { position: skiptoken.slice(0, dot), token: skiptoken.slice(dot + 1) };
}

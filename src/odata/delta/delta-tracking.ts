import type { bindQuery } from '../bind/bind-query';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReadScope } from '../access/access-policy';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType, EdmModel } from '../model/edm-model';
import type { ODataQuery } from '../query/odata-query';
import { JSON_CONTENT_TYPE, collectionContext } from '../serialize/json-format';
import type { SqlParams } from '../sql/sql-params';
import type { Negotiated } from '../http/negotiation';
import type { ODataRequest, ODataResponse } from '../http/odata-request';
import type { Target } from '../http/resolve-target';
import type { ChangeLog } from './change-log';
import { checkTrackedOptions } from './delta-options';
import { deltaEntries } from './delta-entries';
import {
  DeltaToken,
  callerId,
  decodeDeltaToken,
  encodeDeltaToken,
  queryFingerprint,
  unwrapSkipToken,
  wrapSkipToken,
} from './delta-token';

/** What the request handler lends a tracked read: the caller's scope and its ordinary read. */
export interface DeltaHost {
  model: EdmModel;
  scope?: ReadScope;
  callerProperties?: (type: EdmEntityType, alias: string, params: SqlParams) => Record<string, string>;
  limits: Parameters<typeof bindQuery>[0]['limits'];
  pageSize: number;
  /** The set's type with its run-time dynamic properties. */
  type(manager: EntityManager): Promise<EdmEntityType>;
  /** The ordinary collection read, in this transaction. */
  read(manager: EntityManager, query: ODataQuery): Promise<ODataResponse>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const NEXT_LINK_AT_END = /,"@odata\.nextLink":("(?:[^"\\]|\\.)*")\}$/;

/**
 * Change tracking (OData 4.01 Protocol 11.3, JSON Format 15): `Prefer: odata.track-changes` on
 * an entity set's read adds `@odata.deltaLink` to its last page; GET of that link answers what
 * changed since, in the delta format, and a new link. Each request runs in one REPEATABLE READ
 * transaction on the primary, so the snapshot a link carries is exactly the one its data was read in.
 */
export class DeltaTracking {
  constructor(
    private readonly dataSource: DataSource,
    /** The feature's change log (found at boot); without one no set is tracked. */
    private readonly log: () => ChangeLog | undefined,
  ) {}

  private get changeLog(): ChangeLog | undefined {
    return this.log();
  }

  /** How long the change log keeps what a delta link needs; older links are 410 Gone. */
  private get retentionMs(): number {
    return this.changeLog?.retentionMs ?? 7 * DAY_MS;
  }

  tracks(setName: string): boolean {
    return !!this.changeLog?.sets.has(setName);
  }

  /** Is this read for change tracking: a delta link, or a tracked read of a tracked set? */
  wanted(target: Target, query: ODataQuery, n: Negotiated): boolean {
    if (query.deltatoken !== undefined) return true;
    const tracked = n.prefer.has('odata.track-changes') || n.prefer.has('track-changes');
    return tracked && target.kind === 'collection' && !target.via && this.tracks(target.type.setName);
  }

  async read(
    req: ODataRequest,
    target: Target,
    query: ODataQuery,
    n: Negotiated,
    host: DeltaHost,
  ): Promise<ODataResponse> {
    if (target.kind !== 'collection' || target.via)
      throw ODataError.badRequest('A delta link applies to an entity set', '$deltatoken');
    const set = target.type.setName;
    if (!this.tracks(set)) throw ODataError.notImplemented(`Change tracking is not supported for ${set}`);
    checkTrackedOptions(target.type, query);
    const old =
      query.deltatoken !== undefined ? this.checked(decodeDeltaToken(query.deltatoken), req) : undefined;
    if (old) this.bound(old, set, query);
    const run = <T>(fn: (m: EntityManager) => Promise<T>) =>
      req.transaction ? fn(req.transaction) : this.dataSource.transaction('REPEATABLE READ', fn);
    return run(async (m) => {
      // The first statement fixes the transaction's snapshot: the one the new link carries.
      const [{ s }] = await m.query(`SELECT pg_current_snapshot()::text AS s`);
      let next = encodeDeltaToken({
        set,
        query: queryFingerprint(set, query),
        caller: callerId(req.caller),
        snapshot: s,
        issued: Date.now(),
      });
      let position: string | undefined;
      if (query.skiptoken !== undefined) {
        // A later page: the link to issue was fixed by the first page.
        ({ position, token: next } = unwrapSkipToken(query.skiptoken));
        this.bound(this.checked(decodeDeltaToken(next), req), set, query);
      }
      if (old) return this.changes(m, req, query, n, host, old, next, position);
      const res = await host.read(m, { ...query, skiptoken: position });
      if (res.status !== 200 || typeof res.body !== 'string') return res;
      delete res.headers.ETag; // a page's ETag would answer 304 without its links
      const applied = [res.headers['Preference-Applied'], 'odata.track-changes'].filter(Boolean);
      res.headers['Preference-Applied'] = applied.join(', ');
      res.body = withTrackingLinks(res.body, next, deltaLink(req, set, next));
      return res;
    });
  }

  /** The delta: a page of candidates from the change log, each read again as the link's query sees it now. */
  private async changes(
    m: EntityManager,
    req: ODataRequest,
    query: ODataQuery,
    n: Negotiated,
    host: DeltaHost,
    old: DeltaToken,
    next: string,
    after?: string,
  ): Promise<ODataResponse> {
    if (after !== undefined && !/^[0-9a-f-]{36}$/.test(after))
      throw ODataError.badRequest('The $skiptoken is not valid', '$skiptoken', ErrorCode.BadQueryOption);
    const type = await host.type(m);
    const found = await this.changeLog!.candidates(
      m,
      type.setName,
      old.snapshot,
      req.caller,
      after,
      host.pageSize + 1,
    );
    const page = found.slice(0, host.pageSize);
    const entries = await deltaEntries(m, req, type, query, n, host, page);
    const head =
      n.metadata === 'none'
        ? ''
        : `"@odata.context":${JSON.stringify(`${collectionContext(req.serviceRoot, type, query)}/$delta`)},`;
    const link =
      found.length > page.length
        ? `"@odata.nextLink":${JSON.stringify(pageLink(req, wrapSkipToken(page[page.length - 1].key, next)))}`
        : `"@odata.deltaLink":${JSON.stringify(deltaLink(req, type.setName, next))}`;
    return {
      status: 200,
      headers: { 'Content-Type': JSON_CONTENT_TYPE(n) },
      body: `{${head}"value":[${entries.join(',')}],${link}}`,
    };
  }

  /** Well-formed and not older than the change log's retention (410: the client reads afresh). */
  private checked(token: DeltaToken, req: ODataRequest): DeltaToken {
    if (token.caller !== callerId(req.caller))
      throw ODataError.badRequest('The delta link was issued to another caller', '$deltatoken');
    if (Date.now() - token.issued > this.retentionMs)
      throw new ODataError(
        410,
        ErrorCode.Gone,
        'The delta link has expired (older than the change log keeps); read the set again',
        '$deltatoken',
      );
    return token;
  }

  /** Issued for this set and this query ($filter, $select), else 400. */
  private bound(token: DeltaToken, set: string, query: ODataQuery): void {
    if (token.set !== set)
      throw ODataError.badRequest(
        `The delta link was issued for another entity set than ${set}`,
        '$deltatoken',
      );
    if (token.query !== queryFingerprint(set, query))
      throw ODataError.badRequest(
        'The delta link was issued for another query ($filter, $select): use the link as given',
        '$deltatoken',
      );
  }
}

/**
 * The request as a tracked read runs it: in the tracking transaction, and without If-None-Match
 * (a 304 would drop the page's tracking links).
 */
export function trackedRequest(req: ODataRequest, m: EntityManager): ODataRequest {
  return { ...req, transaction: m, headers: { ...req.headers, 'if-none-match': undefined } };
}

/** The request's own options without paging and delta tokens. */
function keptOptions(req: ODataRequest): string[] {
  return req.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p && !/^\$?(skip|skiptoken|deltatoken)=/i.test(p));
}

function deltaLink(req: ODataRequest, set: string, token: string): string {
  return `${req.serviceRoot}/${set}?${[...keptOptions(req), `$deltatoken=${token}`].join('&')}`;
}

function pageLink(req: ODataRequest, skiptoken: string): string {
  const delta = req.search.match(/(?:^|[?&])\$?deltatoken=([^&]*)/i)?.[1] ?? '';
  const kept = keptOptions(req);
  return `${req.serviceRoot}${req.path}?${[...kept, `$deltatoken=${delta}`, `$skiptoken=${skiptoken}`].join('&')}`;
}

/**
 * A tracked feed's page as the ordinary read framed it, with the links of change tracking: the
 * next page's $skiptoken also carries the delta token; the last page gets @odata.deltaLink.
 */
function withTrackingLinks(body: string, token: string, delta: string): string {
  const next = body.match(NEXT_LINK_AT_END);
  if (next) {
    const url = (JSON.parse(next[1]) as string).replace(
      /([?&]\$skiptoken=)([^&]*)$/,
      (_, k: string, v: string) => `${k}${wrapSkipToken(v, token)}`,
    );
    return `${body.slice(0, next.index)},"@odata.nextLink":${JSON.stringify(url)}}`;
  }
  return `${body.slice(0, -1)},"@odata.deltaLink":${JSON.stringify(delta)}}`;
}

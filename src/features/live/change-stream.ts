import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Metrics } from '../../ops/metrics';
import { Authenticator, unauthorized } from '../access/authenticator';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';

export interface ChangeEventMessage {
  id: string;
  entitySet: string;
  key: string;
  kind: string;
  projectId: string | null;
  changes: Record<string, unknown>;
  etag: string | null;
  at: string;
}

interface Subscriber {
  projectId?: string;
  /** Projects the caller may see (refreshed now and then); undefined: all (administrators). */
  visible?: Set<string>;
  contactId?: string;
  /** The token the stream was opened with: its revocation ends the stream. */
  apiTokenId?: string;
  send(e: ChangeEventMessage): void;
  end(): void;
}

/** Where revoked tokens are announced (by a trigger on api_token, to every instance). */
const REVOKED_CHANNEL = 'odata_token_revoked';
/** A missed announcement (the LISTEN connection was down) is caught by a sweep this often. */
const REVOCATION_SWEEP_MS = 5_000;
/** The largest PostgreSQL bigint: event ids beyond it do not exist. */
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;

/**
 * The change log also records what delta links need (projects, contacts, plannings, memberships,
 * custom fields); the stream carries what it always has: tasks, notes, statuses, checklist items
 * and a project's delete.
 */
const STREAMED = `("EntitySet" IN ('Task', 'TaskItemNote', 'TaskStatus', 'ChecklistItem') OR ("EntitySet" = 'Project' AND "Kind" = 'deleted'))`;

const EVENT_COLUMNS = `"Id" AS id, "EntitySet" AS "entitySet", "EntityKey" AS key, "Kind" AS kind, "ProjectId" AS "projectId",
  "Changes" AS changes, "ETag" AS etag, "CreatedDateTime" AS at`;

/**
 * GET /odata/$events: committed changes to tasks, notes, statuses and checklist items as
 * Server-Sent Events. Triggers write each change to the change_event outbox and NOTIFY after
 * commit; every instance LISTENs on its own connection, so a change made through any instance
 * reaches the streams of all. `Last-Event-ID` replays what a client missed, from the outbox
 * (kept EVENTS_RETENTION_MINUTES); `?projectId=` narrows the stream.
 */
@Injectable()
export class ChangeStream implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeStream');
  private readonly subscribers = new Set<Subscriber>();
  private listener?: Client;
  private stopped = false;
  private dispatching: Promise<void> = Promise.resolve();
  private cleanup?: NodeJS.Timeout;
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: HttpAdapterHost,
    private readonly metrics: Metrics,
    private readonly authenticator: Authenticator,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify: FastifyInstance = this.http.httpAdapter.getInstance();
    fastify.get('/odata/$events', (req, reply) => this.stream(req, reply));
    this.metrics.gauge(
      'odata_event_subscribers',
      'Clients connected to the change stream',
      () => this.subscribers.size,
    );
    await this.listen();
    this.cleanup = setInterval(() => void this.prune(), 60_000).unref();
    this.sweeper = setInterval(() => void this.sweepRevoked(), REVOCATION_SWEEP_MS).unref();
  }

  /** Before the server closes: end open streams (clients reconnect elsewhere with Last-Event-ID). */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.cleanup);
    clearInterval(this.sweeper);
    await this.listener?.end().catch(() => undefined);
  }

  /** One LISTEN connection per instance, reconnecting with backoff when PostgreSQL goes away. */
  private async listen(attempt = 0): Promise<void> {
    if (this.stopped) return;
    // LISTEN is session state: behind a transaction-mode pooler it needs a direct connection.
    const url = this.config.databaseListenUrl ?? (this.dataSource.options as { url: string }).url;
    const client = new Client({ connectionString: url, application_name: 'odata-tasks:listen' });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.stopped) return;
      setTimeout(() => void this.listen(1), 500).unref();
    });
    try {
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === REVOKED_CHANNEL) this.endStreamsOf(new Set([n.payload ?? '']));
        else this.dispatch(n.payload ?? '');
      });
      await client.query(`LISTEN odata_change; LISTEN ${REVOKED_CHANNEL}`);
      this.listener = client;
      // Revocations announced while this instance was not listening.
      if (attempt > 0) void this.sweepRevoked();
    } catch (e) {
      await client.end().catch(() => undefined);
      const delay = Math.min(500 * 2 ** attempt, 10_000);
      this.logger.warn(`LISTEN failed (${(e as Error).message}); retrying in ${delay} ms`);
      setTimeout(() => void this.listen(attempt + 1), delay).unref();
    }
  }

  /**
   * A NOTIFY names one statement's events: `<xid>:<first Id>:<last Id>` (a bare id from an older
   * instance's triggers: that event). They are loaded in one query, in order; notifications are
   * handled one after another, so subscribers get events in the order they were announced.
   */
  private dispatch(payload: string): void {
    const events = parseChangePayload(payload);
    if (!events) return;
    this.dispatching = this.dispatching.then(() => this.send(events));
  }

  private async send(events: ChangePayload): Promise<void> {
    if (this.subscribers.size === 0) return;
    const rows: ChangeEventMessage[] = await this.dataSource
      .query(
        `SELECT ${EVENT_COLUMNS} FROM change_event
         WHERE "Id" BETWEEN $1 AND $2 AND ($3::xid8 IS NULL OR "Xid" = $3::xid8) AND ${STREAMED} ORDER BY "Id"`,
        [events.first, events.last, events.xid],
      )
      .catch(() => []);
    for (const e of rows) for (const s of this.subscribers) if (this.mayReceive(s, e)) s.send(e);
  }

  /** The same scope as every read: the caller's projects (events of project-less rows: administrators only). */
  private mayReceive(s: Subscriber, e: ChangeEventMessage): boolean {
    if (s.projectId && s.projectId !== e.projectId) return false;
    if (!s.visible) return true;
    return e.projectId !== null && s.visible.has(e.projectId);
  }

  private async visibleProjects(contactId: string): Promise<Set<string>> {
    const rows: Array<{ ProjectId: string }> = await this.dataSource.query(
      `SELECT "ProjectId" FROM project_member WHERE "ContactId" = $1`,
      [contactId],
    );
    return new Set(rows.map((r) => r.ProjectId));
  }

  /** Ends the streams opened with these tokens; clients that reconnect get a 401. */
  private endStreamsOf(tokenIds: Set<string>): void {
    for (const s of this.subscribers) {
      if (!s.apiTokenId || !tokenIds.has(s.apiTokenId)) continue;
      this.subscribers.delete(s);
      s.end();
    }
  }

  /** Ends the streams whose token is no longer valid (revoked or deleted). */
  private async sweepRevoked(): Promise<void> {
    const ids = [
      ...new Set([...this.subscribers].map((s) => s.apiTokenId).filter((id): id is string => !!id)),
    ];
    if (ids.length === 0) return;
    const rows: Array<{ id: string }> = await this.dataSource
      .query(
        `SELECT "ApiTokenId" AS id FROM api_token WHERE "ApiTokenId" = ANY($1::uuid[]) AND "RevokedDateTime" IS NULL`,
        [ids],
      )
      .catch(() => undefined);
    if (!rows) return; // the database is away: keep the streams until it can answer
    const live = new Set(rows.map((r) => r.id));
    this.endStreamsOf(new Set(ids.filter((id) => !live.has(id))));
  }

  /** The outbox keeps what the stream replays and what delta links need, whichever is longer. */
  private async prune(): Promise<void> {
    const { retentionMinutes, deltaRetentionMinutes } = this.config.live;
    await this.dataSource
      .query(`DELETE FROM change_event WHERE "CreatedDateTime" < now() - make_interval(mins => $1)`, [
        Math.max(retentionMinutes, deltaRetentionMinutes),
      ])
      .catch(() => undefined);
  }

  private async stream(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const query = req.query as Record<string, string | undefined>;
    let identity;
    let lastId: string | undefined;
    const projectId = query.projectId;
    try {
      identity = await this.authenticator.identify(req.headers, (req.raw.url ?? '').split('?')[1] ?? '');
      if (!identity)
        throw unauthorized('Authentication required: send an API token (Authorization: Bearer <token>)');
      if (projectId && !/^[0-9a-fA-F-]{36}$/.test(projectId)) {
        throw ODataError.badRequest('projectId is not a Guid', 'projectId', ErrorCode.BadLiteral);
      }
      lastId = lastEventIdOf(req.headers['last-event-id'] ?? query.lastEventId);
    } catch (e) {
      if (!(e instanceof ODataError)) throw e;
      reply
        .code(e.status)
        .headers(e.headers ?? {})
        .header('Content-Type', 'application/json;charset=utf-8')
        .send(JSON.stringify(e.toJSON()));
      return;
    }
    const caller = identity.caller;
    const visible = caller.isAdmin ? undefined : await this.visibleProjects(caller.contactId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'OData-Version': '4.0',
    });
    res.write(`retry: 2000\n: connected\n\n`);

    const queue: ChangeEventMessage[] = [];
    let replaying = true;
    // Nothing is written once the stream has ended (revoked, shut down, client gone).
    const put = (text: string) => void (res.writableEnded || res.destroyed || res.write(text));
    const write = (e: ChangeEventMessage) =>
      put(`id: ${e.id}\nevent: change\ndata: ${JSON.stringify(e)}\n\n`);
    const subscriber: Subscriber = {
      projectId: projectId?.toLowerCase(),
      visible,
      contactId: caller.contactId,
      apiTokenId: identity.apiTokenId,
      send: (e) => (replaying ? queue.push(e) : write(e)),
      end: () => {
        stop();
        res.end();
      },
    };
    this.subscribers.add(subscriber);
    let beats = 0;
    const heartbeat = setInterval(() => {
      put(`: heartbeat\n\n`);
      // Memberships change: refresh what this caller may see every few heartbeats.
      if (visible && ++beats % 4 === 0)
        void this.visibleProjects(caller.contactId).then(
          (v) => (subscriber.visible = v),
          () => undefined,
        );
    }, this.config.live.heartbeatMs);
    // The response's 'close' (the client left, or the stream was ended at shutdown) stops the
    // heartbeat. Not the request's: a GET's request emits 'close' once it has been read, which
    // may be before this point, and the interval would then run for ever.
    const stop = () => {
      clearInterval(heartbeat);
      this.subscribers.delete(subscriber);
    };
    res.once('close', stop);
    if (res.destroyed) stop(); // the client left while we authenticated

    // Missed events first (subscribed already, so nothing falls between replay and live).
    let lastSent = 0n;
    try {
      if (lastId) lastSent = await this.replay(subscriber, write, put, lastId, projectId);
    } catch {
      // The database failed the replay: end the stream, the client reconnects with its
      // Last-Event-ID, rather than leave it open and silent.
      subscriber.end();
      return;
    }
    replaying = false;
    for (const e of queue) if (BigInt(e.id) > lastSent) write(e);
  }

  /** Writes the events after lastId the subscriber may see; returns the last id written. */
  private async replay(
    subscriber: Subscriber,
    write: (e: ChangeEventMessage) => void,
    put: (text: string) => void,
    lastId: string,
    projectId?: string,
  ): Promise<bigint> {
    let lastSent = 0n;
    // The replay window is EVENTS_RETENTION_MINUTES, though delta links keep the outbox longer.
    const window = `"CreatedDateTime" >= now() - make_interval(mins => ${Number(this.config.live.retentionMinutes)})`;
    const [{ oldest }] = await this.dataSource.query(
      `SELECT min("Id") AS oldest FROM change_event WHERE ${window}`,
    );
    if (oldest !== null && BigInt(oldest) > BigInt(lastId) + 1n) {
      put(`event: reset\ndata: {"reason":"events before ${oldest} are no longer kept; reload"}\n\n`);
    }
    const missed: ChangeEventMessage[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM change_event
       WHERE "Id" > $1 AND ($2::uuid IS NULL OR "ProjectId" = $2::uuid) AND ${STREAMED} AND ${window}
       ORDER BY "Id" LIMIT 10000`,
      [lastId, projectId ?? null],
    );
    for (const e of missed.filter((x) => this.mayReceive(subscriber, x))) {
      write(e);
      lastSent = BigInt(e.id);
    }
    return lastSent;
  }
}

export interface ChangePayload {
  xid: string | null;
  first: string;
  last: string;
}

/** The events a change NOTIFY names; undefined for anything else. */
export function parseChangePayload(payload: string): ChangePayload | undefined {
  const m = /^(?:(\d+):(\d+):)?(\d+)$/.exec(payload);
  if (!m) return undefined;
  return m[1] ? { xid: m[1], first: m[2], last: m[3] } : { xid: null, first: m[3], last: m[3] };
}

/**
 * Last-Event-ID (or ?lastEventId=): absent, or an event id, a non-negative integer within
 * PostgreSQL's bigint. Anything else is a 400: a client must not be left with a stream that
 * silently never replays.
 */
export function lastEventIdOf(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = Array.isArray(raw) ? raw.join(',') : raw.trim();
  if (!/^\d{1,100}$/.test(text) || BigInt(text) > MAX_EVENT_ID) {
    const message = `Last-Event-ID must be an event id: a non-negative integer of at most ${MAX_EVENT_ID}`;
    throw ODataError.badRequest(message, 'Last-Event-ID', ErrorCode.BadLiteral);
  }
  return BigInt(text).toString();
}

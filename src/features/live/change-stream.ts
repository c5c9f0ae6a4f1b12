import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Metrics } from '../../ops/metrics';
import { Authenticator, unauthorized } from '../access/authenticator';
import { ODataError } from '../../odata/errors/odata-error';

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
  send(e: ChangeEventMessage): void;
  end(): void;
}

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
  private cleanup?: NodeJS.Timeout;

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
    this.metrics.gauge('odata_event_subscribers', 'Clients connected to the change stream', () => this.subscribers.size);
    await this.listen();
    this.cleanup = setInterval(() => void this.prune(), 60_000).unref();
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
    await this.listener?.end().catch(() => undefined);
  }

  /** One LISTEN connection per instance, reconnecting with backoff when PostgreSQL goes away. */
  private async listen(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const url = (this.dataSource.options as { url?: string; replication?: { master: { url: string } } });
    const client = new Client({ connectionString: url.url ?? url.replication!.master.url });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.stopped) return;
      setTimeout(() => void this.listen(1), 500).unref();
    });
    try {
      await client.connect();
      client.on('notification', (n) => void this.dispatch(n.payload ?? ''));
      await client.query('LISTEN odata_change');
      this.listener = client;
    } catch (e) {
      await client.end().catch(() => undefined);
      const delay = Math.min(500 * 2 ** attempt, 10_000);
      this.logger.warn(`LISTEN failed (${(e as Error).message}); retrying in ${delay} ms`);
      setTimeout(() => void this.listen(attempt + 1), delay).unref();
    }
  }

  private async dispatch(id: string): Promise<void> {
    if (!/^\d+$/.test(id) || this.subscribers.size === 0) return;
    const rows: ChangeEventMessage[] = await this.dataSource.query(`SELECT ${EVENT_COLUMNS} FROM change_event WHERE "Id" = $1`, [id]).catch(() => []);
    for (const e of rows) for (const s of this.subscribers) if (this.mayReceive(s, e)) s.send(e);
  }

  /** The same scope as every read: the caller's projects (events of project-less rows: administrators only). */
  private mayReceive(s: Subscriber, e: ChangeEventMessage): boolean {
    if (s.projectId && s.projectId !== e.projectId) return false;
    if (!s.visible) return true;
    return e.projectId !== null && s.visible.has(e.projectId);
  }

  private async visibleProjects(contactId: string): Promise<Set<string>> {
    const rows: Array<{ ProjectId: string }> = await this.dataSource.query(`SELECT "ProjectId" FROM project_member WHERE "ContactId" = $1`, [contactId]);
    return new Set(rows.map((r) => r.ProjectId));
  }

  private async prune(): Promise<void> {
    await this.dataSource
      .query(`DELETE FROM change_event WHERE "CreatedDateTime" < now() - make_interval(mins => $1)`, [this.config.live.retentionMinutes])
      .catch(() => undefined);
  }

  private async stream(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const query = req.query as Record<string, string | undefined>;
    let caller;
    try {
      caller = await this.authenticator.authenticate(req.headers, (req.raw.url ?? '').split('?')[1] ?? '');
      if (!caller) throw unauthorized('Authentication required: send an API token (Authorization: Bearer <token>)');
    } catch (e) {
      if (!(e instanceof ODataError)) throw e;
      reply.code(e.status).headers(e.headers ?? {}).header('Content-Type', 'application/json;charset=utf-8').send(JSON.stringify(e.toJSON()));
      return;
    }
    const visible = caller.isAdmin ? undefined : await this.visibleProjects(caller.contactId);
    const projectId = query.projectId;
    if (projectId && !/^[0-9a-fA-F-]{36}$/.test(projectId)) {
      reply.code(400).send({ error: { code: 'ODATA102', message: `projectId '${projectId}' is not a Guid` } });
      return;
    }
    const lastId = (req.headers['last-event-id'] as string | undefined) ?? query.lastEventId;
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
    const write = (e: ChangeEventMessage) => res.write(`id: ${e.id}\nevent: change\ndata: ${JSON.stringify(e)}\n\n`);
    const subscriber: Subscriber = {
      projectId: projectId?.toLowerCase(),
      visible,
      contactId: caller.contactId,
      send: (e) => (replaying ? queue.push(e) : write(e)),
      end: () => res.end(),
    };
    this.subscribers.add(subscriber);
    let beats = 0;
    const heartbeat = setInterval(() => {
      res.write(`: heartbeat\n\n`);
      // Memberships change: refresh what this caller may see every few heartbeats.
      if (visible && ++beats % 4 === 0) void this.visibleProjects(caller.contactId).then((v) => (subscriber.visible = v), () => undefined);
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
    if (lastId && /^\d+$/.test(lastId)) {
      const [{ oldest }] = await this.dataSource.query(`SELECT min("Id") AS oldest FROM change_event`);
      if (oldest !== null && BigInt(oldest) > BigInt(lastId) + 1n) res.write(`event: reset\ndata: {"reason":"events before ${oldest} are no longer kept; reload"}\n\n`);
      const missed: ChangeEventMessage[] = await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM change_event WHERE "Id" > $1 AND ($2::uuid IS NULL OR "ProjectId" = $2::uuid) ORDER BY "Id" LIMIT 10000`,
        [lastId, projectId ?? null],
      );
      for (const e of missed.filter((x) => this.mayReceive(subscriber, x))) {
        write(e);
        lastSent = BigInt(e.id);
      }
    }
    replaying = false;
    for (const e of queue) if (BigInt(e.id) > lastSent) write(e);
  }
}

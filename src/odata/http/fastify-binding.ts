import compress from '@fastify/compress';
import * as zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { ODataRequestHandler } from './odata-request-handler';
import type { Caller } from '../access/access-policy';
import { fromPostgresError } from '../errors/postgres-errors';
import type { Release } from './admission';
import { admit } from './fastify-admission';
import { answerError, setODataErrorHandler } from './fastify-errors';
import { RequestObservation, resourceOf } from './request-observation';
import type { ParsedRequest } from '../uri/parse-request';
import type { ODataRequest } from './odata-request';
import { CONSISTENCY_HEADER, mayHaveWritten } from './consistency';

/**
 * Mounts the OData service root on Fastify. The protocol core parses its own paths (keys,
 * navigation, operations), so one wildcard route hands every request under the root to it.
 * Bodies arrive as text: the core reports malformed JSON as an OData error, and $batch needs
 * the raw multipart text. Admission (fastify-admission.ts), errors raised outside the core
 * (fastify-errors.ts) and what a request did (request-observation.ts) live beside it.
 */
export function mountODataRoutes(
  root: FastifyInstance,
  handler: ODataRequestHandler,
  opts: {
    prefix: string;
    bodyLimit: number;
    observe?: (o: RequestObservation) => void;
    /** The caller of a request: undefined without credentials; throws an ODataError (401) for bad ones. */
    authenticate?: (
      headers: Record<string, string | string[] | undefined>,
      search: string,
    ) => Promise<Caller | undefined>;
    /** Paths below the root answered without credentials (e.g. '' and '/$metadata' when public). */
    publicPaths?: string[];
    /** Counts a request against its key's limit; returns seconds to wait when over it. */
    rateLimit?: (key: string) => Promise<number | undefined>;
    /** The primary's WAL position, sent with every successful write (consistency.ts). */
    consistencyToken?: () => Promise<string | undefined>;
  },
): void {
  // An encapsulated plugin: its body parsers and error handler apply to the OData root only.
  root.register(async (fastify) => {
    // gzip/brotli when asked; brotli at a quality that keeps up with a streamed feed.
    await fastify.register(compress, {
      threshold: 1024,
      encodings: ['br', 'gzip', 'deflate'],
      brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    });
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: opts.bodyLimit }, (_req, body, done) =>
      done(null, body),
    );

    const serve = async (request: FastifyRequest, reply: FastifyReply) => {
      const started = performance.now();
      const url = request.raw.url ?? '/';
      const q = url.indexOf('?');
      const fullPath = q < 0 ? url : url.slice(0, q);
      const search = q < 0 ? '' : url.slice(q + 1);
      // Behind a reverse proxy (TRUST_PROXY) host and protocol come from X-Forwarded-*, so
      // nextLinks and Locations point where the client can follow them.
      const host = request.host ?? 'localhost';
      const path = fullPath.slice(opts.prefix.length);
      // Parsed once: admission reads the path and $top, the handler all of it.
      const parsed = handler.parse({ path, search });
      const release = await admit(
        handler,
        request,
        reply,
        { path, search, parsed, started },
        answerError,
        opts.observe,
      );
      if (!release) return reply;
      try {
        return await respond(request, reply, { started, search, host, path, parsed, release });
      } catch (e) {
        release();
        throw e;
      }
    };

    /** Runs an admitted request; its slot is given back once the response no longer needs the database. */
    const respond = async (
      request: FastifyRequest,
      reply: FastifyReply,
      r: {
        started: number;
        search: string;
        host: string;
        path: string;
        parsed: ParsedRequest;
        release: Release;
      },
    ) => {
      const { started, search, host, path, parsed, release } = r;
      let caller: Caller | undefined;
      try {
        if (opts.authenticate) {
          caller = await opts.authenticate(request.headers, search);
          const isPublic = opts.publicPaths?.includes(path.replace(/\/+$/, ''));
          if (!caller && !isPublic)
            throw new ODataError(
              401,
              ErrorCode.Unauthorized,
              'Authentication required: send an API token (Authorization: Bearer <token>)',
              undefined,
              undefined,
              { 'WWW-Authenticate': 'Bearer realm="odata", Basic realm="odata", charset="UTF-8"' },
            );
        }
        if (opts.rateLimit) {
          const wait = await opts.rateLimit(caller ? `caller:${caller.id}` : `ip:${request.ip}`);
          if (wait !== undefined)
            throw new ODataError(
              429,
              ErrorCode.TooManyRequests,
              `Too many requests; retry in ${wait} s`,
              undefined,
              undefined,
              { 'Retry-After': String(wait) },
            );
        }
      } catch (caught) {
        // A token look-up needs the database too: an outage there is a 503 as well.
        const e = caught instanceof ODataError ? caught : fromPostgresError(caught);
        if (!e) throw caught;
        opts.observe?.({
          resource: resourceOf(path),
          method: request.method,
          status: e.status,
          seconds: (performance.now() - started) / 1000,
        });
        release();
        return answerError(reply, e);
      }
      (request.raw as { odataCaller?: string }).odataCaller = caller?.id;
      const odataRequest: ODataRequest = {
        method: request.method,
        path,
        search,
        parsed,
        caller,
        headers: request.headers as Record<string, string | undefined>,
        body: typeof request.body === 'string' ? request.body : undefined,
        serviceRoot: `${request.protocol}://${host}${opts.prefix}`,
      };
      const response = await handler.handle(odataRequest);
      // --- consistency token (consistency.ts): a write answers with the WAL position after its commit ---
      if (opts.consistencyToken && mayHaveWritten(request.method, response.status)) {
        const token = odataRequest.committedAt ?? (await opts.consistencyToken());
        if (token) response.headers[CONSISTENCY_HEADER] = token;
      }
      // --- end consistency token ---
      const seconds = (performance.now() - started) / 1000;
      const resource = resourceOf(path);
      (request.raw as { odataResource?: string }).odataResource = resource;
      // Observed when the response is finished: a streamed feed counts its rows as it goes.
      reply.raw.once('finish', () => {
        opts.observe?.({
          resource,
          method: request.method,
          status: response.status,
          seconds: (performance.now() - started) / 1000,
          rows: response.meta?.rows,
          batchSize: response.meta?.batchSize,
        });
      });
      // A client that is gone (before or while the body streams) must not leave the body, and the
      // database cursor behind it, waiting: destroying the body closes the cursor.
      const body = response.body;
      if (body instanceof Readable) {
        // A streamed page holds its connection (and so its slot) until the stream has closed:
        // ended, failed, or destroyed because the client left; its cursor is closed by then.
        if (body.closed) release();
        else body.once('close', release);
        reply.raw.once('close', () => {
          if (!body.destroyed) body.destroy();
        });
        if (request.raw.destroyed || reply.raw.destroyed) body.destroy();
      } else release();
      reply.code(response.status);
      for (const [k, v] of Object.entries(response.headers)) reply.header(k, v);
      // Where the time went (PostgREST-style), visible in browser dev tools.
      const timing = [`total;dur=${(seconds * 1000).toFixed(1)}`];
      if (response.meta?.dbMs !== undefined) timing.unshift(`db;dur=${response.meta.dbMs.toFixed(1)}`);
      reply.header('Server-Timing', timing.join(', '));
      if (request.method === 'HEAD' || response.body === undefined) return reply.send();
      return reply.send(response.body);
    };

    const methods = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'] as any;
    fastify.route({ method: methods, url: opts.prefix, handler: serve });
    fastify.route({ method: methods, url: `${opts.prefix}/*`, handler: serve });

    setODataErrorHandler(fastify, opts.bodyLimit);
  });
}

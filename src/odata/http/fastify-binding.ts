import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { ODataRequestHandler } from './odata-request-handler';

/**
 * Mounts the OData service root on Fastify. The protocol core parses its own paths (keys,
 * navigation, operations), so one wildcard route hands every request under the root to it.
 * Bodies arrive as text: the core reports malformed JSON as an OData error, and $batch needs
 * the raw multipart text.
 */
const logger = new Logger('OData');

/** What one request did, for metrics and logs. */
export interface RequestObservation {
  /** The entity set (or $metadata, $batch, service) the request addressed. */
  resource: string;
  method: string;
  status: number;
  seconds: number;
  rows?: number;
  batchSize?: number;
}

/** `/Task(…)/Notes?…` -> `Task`; `/$batch` -> `$batch`; `` -> `service`. */
export function resourceOf(path: string): string {
  const first = path.split('/').filter(Boolean)[0];
  if (!first) return 'service';
  const name = first.replace(/\(.*$/, '');
  return /^[A-Za-z_$][A-Za-z0-9_.]*$/.test(name) ? name : 'other';
}

export function mountODataRoutes(
  root: FastifyInstance,
  handler: ODataRequestHandler,
  opts: { prefix: string; bodyLimit: number; observe?: (o: RequestObservation) => void },
): void {
  // An encapsulated plugin: its body parsers and error handler apply to the OData root only.
  root.register(async (fastify) => {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: opts.bodyLimit }, (_req, body, done) => done(null, body));

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const started = performance.now();
    const url = request.raw.url ?? '/';
    const q = url.indexOf('?');
    const fullPath = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    const host = request.headers.host ?? 'localhost';
    const response = await handler.handle({
      method: request.method,
      path: fullPath.slice(opts.prefix.length),
      search,
      headers: request.headers as Record<string, string | undefined>,
      body: typeof request.body === 'string' ? request.body : undefined,
      serviceRoot: `${request.protocol}://${host}${opts.prefix}`,
    });
    const seconds = (performance.now() - started) / 1000;
    const resource = resourceOf(fullPath.slice(opts.prefix.length));
    (request.raw as { odataResource?: string }).odataResource = resource;
    opts.observe?.({ resource, method: request.method, status: response.status, seconds, rows: response.meta?.rows, batchSize: response.meta?.batchSize });
    reply.code(response.status);
    for (const [k, v] of Object.entries(response.headers)) reply.header(k, v);
    // Where the time went (PostgREST-style), visible in browser dev tools.
    const timing = [`total;dur=${(seconds * 1000).toFixed(1)}`];
    if (response.meta?.dbMs !== undefined) timing.unshift(`db;dur=${response.meta.dbMs.toFixed(1)}`);
    reply.header('Server-Timing', timing.join(', '));
    if (request.method === 'HEAD' || response.body === undefined) return reply.send();
    return reply.send(response.body instanceof Readable ? response.body : response.body);
  };

  const methods = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'] as any;
  fastify.route({ method: methods, url: opts.prefix, handler: serve });
  fastify.route({ method: methods, url: `${opts.prefix}/*`, handler: serve });

  fastify.setErrorHandler((error: any, request, reply) => {
    // Errors raised before the core runs (body too large, bad content length) and bugs.
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const odata = error instanceof ODataError ? error
      : status === 413 ? new ODataError(413, ErrorCode.PayloadTooLarge, `The request body exceeds ${opts.bodyLimit} bytes`)
      : status < 500 ? new ODataError(status, ErrorCode.BadRequest, error.message)
      : new ODataError(500, ErrorCode.Internal, 'An internal error occurred; it has been logged');
    if (odata.status >= 500) logger.error(`${request.method} ${request.url} failed: ${error?.stack ?? error}`);
    reply.code(odata.status).header('Content-Type', 'application/json;charset=utf-8').header('OData-Version', '4.0').send(JSON.stringify(odata.toJSON()));
  });
  });
}

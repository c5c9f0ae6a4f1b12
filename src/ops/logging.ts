import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config';
import { redactSecrets, secretRedactor } from './redact';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id: the client's X-Request-Id when it is sane, otherwise a new UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** A URL without its secrets (api_key and the like, the calendar feed's secret). */
export function redactUrl(url: string | undefined): string | undefined {
  return url === undefined ? undefined : redactSecrets(url);
}

/**
 * Structured JSON logs (pino via nestjs-pino): one line per request with its id, method, URL
 * (secrets removed), entity set, calling contact, status and duration; no Authorization,
 * cookies or api_key values ever. Every finished line passes through secretRedactor as well,
 * whatever logged it.
 */
export function loggingParams(config: AppConfig, stream?: DestinationStream): Params {
  const redact = secretRedactor([config.auth.adminToken, config.metrics.token]);
  return {
    // Without request lines (LOG_LEVEL above info) OData requests skip pino-http: its two child
    // loggers and request serialisation per request were ~5% of a small read's CPU. Their
    // failures are still logged, by failedODataRequest (app.factory.ts).
    ...(requestLogsOff(config.logLevel)
      ? {
          exclude: [
            { path: 'odata', method: RequestMethod.ALL },
            { path: 'odata/{*rest}', method: RequestMethod.ALL },
          ],
        }
      : {}),
    pinoHttp: [
      {
        level: config.logLevel,
        hooks: { streamWrite: redact },
        genReqId: (req) => (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req),
        customProps: (req) => ({
          entitySet: (req as { odataResource?: string }).odataResource,
          contactId: (req as { odataCaller?: string }).odataCaller,
        }),
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            'req.headers["x-api-key"]',
            'res.headers["set-cookie"]',
          ],
          censor: '[redacted]',
        },
        serializers: {
          req: (req: {
            id: string;
            method: string;
            url: string;
            headers: Record<string, unknown>;
            remoteAddress?: string;
          }) => ({
            id: req.id,
            method: req.method,
            url: redactUrl(req.url),
            remoteAddress: req.remoteAddress,
            userAgent: req.headers?.['user-agent'],
          }),
        },
        customLogLevel: (_req, res, err) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}

/** True when successful requests are not logged (their line is at info): LOG_LEVEL warn and above. */
export function requestLogsOff(level: string): boolean {
  return !['trace', 'debug', 'info'].includes(level);
}

/**
 * The line pino-http would write for a failed request (4xx at warn, 5xx at error) when the
 * request skipped its middleware (requestLogsOff): the raw request and response go through the
 * same serializers (pino-http installs them on the root logger too).
 */
export function failedRequestLine(
  req: IncomingMessage,
  res: ServerResponse,
  ms: number,
  props: { entitySet?: string; contactId?: string },
): { level: 'warn' | 'error'; fields: Record<string, unknown>; msg: string } {
  const failed = res.statusCode >= 500;
  return {
    level: failed ? 'error' : 'warn',
    fields: { req, res, responseTime: Math.round(ms), ...props },
    msg: failed ? 'request errored' : 'request completed',
  };
}

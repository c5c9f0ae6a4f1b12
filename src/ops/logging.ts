import type { IncomingMessage } from 'node:http';
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

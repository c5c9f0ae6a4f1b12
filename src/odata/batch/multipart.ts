import { ErrorCode, ODataError } from '../errors/odata-error';
import type { BatchPart, BatchPartResponse } from './batch-request';

/**
 * multipart/mixed $batch <-> the JSON batch shape, so both formats share one runner.
 *
 *   --batch_1                                   { id: '1', method: 'GET', url: 'Task?$top=1', headers: {} }
 *   Content-Type: application/http        ->
 *
 *   GET Task?$top=1 HTTP/1.1
 *
 * A nested multipart/mixed part is a change set: its requests share an atomicityGroup.
 */
export function boundaryOf(contentType: string | undefined): string {
  const m = contentType?.match(/boundary=(?:"([^"]+)"|([^;\s]+))/i);
  if (!m)
    throw ODataError.badRequest(
      'multipart/mixed $batch needs a boundary parameter',
      'Content-Type',
      ErrorCode.BadBody,
    );
  return m[1] ?? m[2];
}

function splitParts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const start = body.indexOf(delimiter);
  if (start < 0)
    throw ODataError.badRequest(
      `The $batch body has no part with boundary ${boundary}`,
      undefined,
      ErrorCode.BadBody,
    );
  const parts: string[] = [];
  let rest = body.slice(start + delimiter.length);
  for (;;) {
    if (rest.startsWith('--')) return parts; // closing delimiter
    const next =
      rest.indexOf(`\r\n${delimiter}`) >= 0
        ? rest.indexOf(`\r\n${delimiter}`)
        : rest.indexOf(`\n${delimiter}`);
    if (next < 0)
      throw ODataError.badRequest(
        'The $batch body is not terminated by its closing boundary',
        undefined,
        ErrorCode.BadBody,
      );
    parts.push(rest.slice(0, next).replace(/^\r?\n/, ''));
    rest = rest.slice(rest.indexOf(delimiter, next) + delimiter.length);
  }
}

/** Splits "headers CRLF CRLF body" and parses the header lines. */
function headersAndBody(text: string): { headers: Record<string, string>; body: string } {
  const m = text.match(/\r?\n\r?\n/);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index! + m[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function parseHttpPart(text: string, id: string, group?: string): BatchPart {
  const outer = headersAndBody(text);
  const contentId = outer.headers['content-id'];
  const requestText = outer.body.replace(/^\r?\n/, '');
  const lineEnd = requestText.search(/\r?\n/);
  const requestLine = (lineEnd < 0 ? requestText : requestText.slice(0, lineEnd)).trim();
  const m = requestLine.match(/^([A-Z]+)\s+(\S+)(?:\s+HTTP\/1\.[01])?$/);
  if (!m)
    throw ODataError.badRequest(
      `Malformed request line in $batch part: '${requestLine}'`,
      undefined,
      ErrorCode.BadBody,
    );
  const inner = headersAndBody(lineEnd < 0 ? '' : requestText.slice(lineEnd).replace(/^\r?\n/, ''));
  const body = inner.body.replace(/\r?\n$/, '');
  return {
    id: contentId ?? inner.headers['content-id'] ?? id,
    method: m[1],
    url: m[2],
    headers: inner.headers,
    body: body.length ? body : undefined,
    atomicityGroup: group,
  };
}

export function multipartToParts(body: string, contentType: string | undefined): BatchPart[] {
  const parts: BatchPart[] = [];
  let n = 0;
  splitParts(body, boundaryOf(contentType)).forEach((part, i) => {
    const { headers, body: partBody } = headersAndBody(part);
    const type = (headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/mixed')) {
      const group = `changeset${i + 1}`;
      for (const inner of splitParts(partBody, boundaryOf(headers['content-type'])))
        parts.push(parseHttpPart(inner, String(++n), group));
    } else if (type.startsWith('application/http')) {
      parts.push(parseHttpPart(part, String(++n)));
    } else {
      throw ODataError.badRequest(
        `A $batch part must be application/http or a multipart/mixed change set, not '${type}'`,
        undefined,
        ErrorCode.BadBody,
      );
    }
  });
  return parts;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  424: 'Failed Dependency',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

function httpPart(r: BatchPartResponse, withContentId: boolean): string {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`);
  return [
    'Content-Type: application/http',
    'Content-Transfer-Encoding: binary',
    ...(withContentId ? [`Content-ID: ${r.id}`] : []),
    '',
    `HTTP/1.1 ${r.status} ${REASONS[r.status] ?? ''}`.trim(),
    ...headers,
    '',
    body,
  ].join('\r\n');
}

/** Responses -> multipart/mixed; a change set's responses go in a nested multipart part. */
export function partsToMultipart(responses: BatchPartResponse[], boundary: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < responses.length) {
    const r = responses[i];
    if (!r.atomicityGroup) {
      out.push(`--${boundary}\r\n${httpPart(r, false)}\r\n`);
      i++;
      continue;
    }
    const group = responses.filter((x) => x.atomicityGroup === r.atomicityGroup);
    i += group.length;
    const failed =
      group.find((g) => g.status >= 400 && g.status !== 424) ?? group.find((g) => g.status >= 400);
    if (failed) {
      // A failed change set answers with the one error that failed it.
      out.push(`--${boundary}\r\n${httpPart(failed, false)}\r\n`);
      continue;
    }
    const inner = `cs_${boundary}_${i}`;
    out.push(
      `--${boundary}\r\nContent-Type: multipart/mixed; boundary=${inner}\r\n\r\n${group.map((g) => `--${inner}\r\n${httpPart(g, true)}\r\n`).join('')}--${inner}--\r\n`,
    );
  }
  return `${out.join('')}--${boundary}--\r\n`;
}

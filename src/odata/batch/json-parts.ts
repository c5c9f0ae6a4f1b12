import { ErrorCode, ODataError } from '../errors/odata-error';
import type { BatchPart } from './batch-request';

/** A JSON $batch body (`{"requests":[...]}`) as parts, the shape multipart bodies are read into. */
export function jsonParts(body: string | undefined): BatchPart[] {
  let parsed: any;
  try {
    parsed = JSON.parse(body ?? '');
  } catch (e) {
    throw ODataError.badRequest(
      `The $batch body is not valid JSON: ${(e as Error).message}`,
      undefined,
      ErrorCode.BadBody,
    );
  }
  if (!parsed || !Array.isArray(parsed.requests))
    throw ODataError.badRequest('A JSON $batch needs a "requests" array', 'requests', ErrorCode.BadBody);
  return parsed.requests.map((r: any, i: number) => {
    if (!r || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw ODataError.badRequest(
        `Request ${i} of the $batch needs "method" and "url"`,
        'requests',
        ErrorCode.BadBody,
      );
    }
    const headers = Object.fromEntries(
      Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return {
      id: String(r.id ?? i + 1),
      method: r.method.toUpperCase(),
      url: r.url,
      headers,
      body: r.body,
      atomicityGroup: r.atomicityGroup,
      dependsOn: r.dependsOn,
    };
  });
}

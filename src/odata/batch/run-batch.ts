import { Readable } from 'node:stream';
import { errorResponse } from '../http/error-response';
import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { ODataRequest, ODataResponse } from '../http/odata-request';
import type { BatchPart, BatchPartResponse } from './batch-request';
import { multipartToParts, partsToMultipart } from './multipart';
import { jsonParts } from './json-parts';
import { resolveBodyReferences, resolveUrl } from './part-urls';

/** Headers a batch part may not set for itself: they describe the outer connection or identity. */
const STRIPPED = new Set([
  'host',
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'content-length',
  'transfer-encoding',
  'connection',
]);

export interface BatchLimits {
  maxRequests: number;
}

class GroupFailed extends Error {}

/** `$batch`, `/odata/$batch/`, `http://host/odata/%24batch?x`: a part that is itself a $batch. */
function isBatchUrl(url: string): boolean {
  const path = url.split(/[?#]/)[0].replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) === '$batch';
  } catch {
    return false;
  }
}

/**
 * Runs a $batch. Each atomicity group (multipart change set) runs in one PostgreSQL
 * transaction and commits or rolls back as one; other requests run on their own, in order.
 * `$<id>` at the start of a URL, or as a whole string value in a body, refers to the entity a
 * previous request of the batch created.
 */
export class BatchRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly handle: (req: ODataRequest) => Promise<ODataResponse>,
    private readonly limits: BatchLimits,
  ) {}

  async run(req: ODataRequest): Promise<ODataResponse> {
    const method = req.method.toUpperCase();
    if (method !== 'POST')
      throw new ODataError(405, ErrorCode.MethodNotAllowed, '$batch takes POST', undefined, undefined, {
        Allow: 'POST',
      });
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const isJson = contentType.startsWith('application/json');
    const isMultipart = contentType.startsWith('multipart/mixed');
    if (!isJson && !isMultipart)
      throw new ODataError(
        415,
        ErrorCode.UnsupportedMediaType,
        '$batch takes multipart/mixed or application/json',
      );

    const parts = isJson
      ? jsonParts(req.body)
      : multipartToParts(req.body ?? '', req.headers['content-type']);
    if (parts.length > this.limits.maxRequests) {
      throw new ODataError(
        400,
        ErrorCode.LimitExceeded,
        `A $batch may hold at most ${this.limits.maxRequests} requests; this one has ${parts.length}`,
      );
    }
    const nested = parts.find((p) => isBatchUrl(p.url));
    if (nested) {
      const message = `Request ${nested.id} is a $batch; a $batch cannot contain another $batch`;
      throw ODataError.badRequest(message, nested.id, ErrorCode.BadRequest);
    }
    const ids = new Set<string>();
    for (const p of parts) {
      if (ids.has(p.id))
        throw ODataError.badRequest(
          `Request id '${p.id}' is used twice in the $batch`,
          p.id,
          ErrorCode.BadBody,
        );
      ids.add(p.id);
    }
    const continueOnError = /continue-on-error(?!\s*=\s*false)/i.test(req.headers.prefer ?? '');
    const responses = await this.execute(req, parts, continueOnError);

    const headers: Record<string, string> = {};
    if (continueOnError) headers['Preference-Applied'] = 'odata.continue-on-error';
    if (isJson) {
      return {
        status: 200,
        meta: { batchSize: parts.length },
        headers: { ...headers, 'Content-Type': 'application/json;charset=utf-8' },
        body: JSON.stringify({
          responses: responses.map(({ atomicityGroup, ...r }) => ({
            ...r,
            ...(atomicityGroup ? { atomicityGroup } : {}),
          })),
        }),
      };
    }
    const boundary = `batchresponse_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    return {
      status: 200,
      meta: { batchSize: parts.length },
      headers: { ...headers, 'Content-Type': `multipart/mixed; boundary=${boundary}` },
      body: partsToMultipart(responses, boundary),
    };
  }

  private async execute(
    outer: ODataRequest,
    parts: BatchPart[],
    continueOnError: boolean,
  ): Promise<BatchPartResponse[]> {
    // Units of work in order: a single request, or every request of one atomicity group.
    const units: BatchPart[][] = [];
    const seen = new Set<string>();
    for (const p of parts) {
      if (!p.atomicityGroup) units.push([p]);
      else if (!seen.has(p.atomicityGroup)) {
        seen.add(p.atomicityGroup);
        units.push(parts.filter((q) => q.atomicityGroup === p.atomicityGroup));
      }
    }
    const responses = new Map<string, BatchPartResponse>();
    const created = new Map<string, string>(); // request id -> entity URL path below the root
    const ordered: BatchPartResponse[] = [];
    for (const unit of units) {
      const results = await this.runGroup(outer, unit, responses, created);
      for (const r of results) {
        responses.set(r.id, r);
        ordered.push(r);
      }
      // Without continue-on-error the batch stops at the first failure.
      if (!continueOnError && results.some((r) => r.status >= 400)) break;
    }
    return ordered;
  }

  private async runGroup(
    outer: ODataRequest,
    group: BatchPart[],
    done: Map<string, BatchPartResponse>,
    created: Map<string, string>,
  ): Promise<BatchPartResponse[]> {
    const atomic = !!group[0].atomicityGroup;
    const results: BatchPartResponse[] = [];
    const run = async (manager?: EntityManager) => {
      for (const part of group) {
        const failedDependency = (part.dependsOn ?? []).find(
          (d) => (done.get(d)?.status ?? 0) >= 400 || results.find((r) => r.id === d && r.status >= 400),
        );
        const r = failedDependency
          ? this.failed(part, 424, `Request ${failedDependency}, which this one depends on, failed`)
          : await this.runPart(outer, part, created, manager);
        results.push(r);
        if (atomic && r.status >= 400) throw new GroupFailed();
      }
    };
    if (!atomic) {
      await run();
      return results;
    }
    try {
      await this.dataSource.transaction((manager) => run(manager));
      return results;
    } catch (e) {
      if (!(e instanceof GroupFailed)) throw e;
      // Rolled back: the failing request keeps its error, the others say why nothing happened.
      const failure = results[results.length - 1];
      for (const k of created.keys()) if (group.some((p) => p.id === k)) created.delete(k);
      return group.map(
        (p) =>
          results.find((r) => r.id === p.id && r === failure) ??
          this.failed(p, 424, `Rolled back: request ${failure.id} of the same change set failed`),
      );
    }
  }

  private failed(part: BatchPart, status: number, message: string): BatchPartResponse {
    const code = status === 424 ? ErrorCode.Conflict : ErrorCode.BadRequest;
    return {
      id: part.id,
      status,
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: { error: { code, message } },
      atomicityGroup: part.atomicityGroup,
    };
  }

  private async runPart(
    outer: ODataRequest,
    part: BatchPart,
    created: Map<string, string>,
    manager?: EntityManager,
  ): Promise<BatchPartResponse> {
    try {
      const url = resolveUrl(outer, part.url, created);
      const q = url.indexOf('?');
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(part.headers))
        if (!STRIPPED.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
      let body =
        part.body === undefined
          ? undefined
          : typeof part.body === 'string'
            ? part.body
            : JSON.stringify(part.body);
      if (body !== undefined) body = resolveBodyReferences(outer, body, created);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const res = await this.handle({
        method: part.method,
        path: q < 0 ? url : url.slice(0, q),
        search: q < 0 ? '' : url.slice(q + 1),
        headers,
        body,
        serviceRoot: outer.serviceRoot,
        caller: outer.caller,
        inBatch: true,
        transaction: manager,
      });
      const location = res.headers.Location ?? res.headers['OData-EntityId'];
      if (location?.startsWith(outer.serviceRoot))
        created.set(part.id, location.slice(outer.serviceRoot.length));
      if (res.body instanceof Readable) {
        // A streamed feed inside a batch: the part needs the whole text.
        let text = '';
        for await (const chunk of res.body) text += chunk;
        res.body = text;
      }
      let resBody: unknown = res.body;
      if (typeof res.body === 'string' && (res.headers['Content-Type'] ?? '').includes('json'))
        resBody = JSON.parse(res.body);
      else if (Buffer.isBuffer(res.body)) resBody = res.body.toString('utf8');
      return {
        id: part.id,
        status: res.status,
        headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v])),
        body: resBody,
        atomicityGroup: part.atomicityGroup,
      };
    } catch (e) {
      if (e instanceof ODataError) {
        const res = errorResponse(e);
        return {
          id: part.id,
          status: res.status,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v])),
          body: JSON.parse(res.body),
          atomicityGroup: part.atomicityGroup,
        };
      }
      throw e;
    }
  }
}

import { ErrorCode, ODataError } from '../errors/odata-error';
import type { MetadataLevel } from '../sql/select-list';

export interface Negotiated {
  metadata: MetadataLevel;
  /** OData-Version of the response. */
  version: '4.0' | '4.01';
  /** Parsed Prefer header. */
  prefer: Map<string, string>;
  /** $metadata in JSON (CSDL JSON) rather than XML. */
  wantsJson: boolean;
  wantsXml: boolean;
}

function parseParams(mediaType: string): { type: string; params: Map<string, string> } {
  const [type, ...rest] = mediaType.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const [k, v] = p.split('=');
    if (k) params.set(k.trim().toLowerCase(), (v ?? '').trim().replace(/^"|"$/g, '').toLowerCase());
  }
  return { type: type.trim().toLowerCase(), params };
}

/** Prefer: return=minimal, odata.maxpagesize=50, odata.include-annotations="*" */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const prefer = new Map<string, string>();
  if (!header) return prefer;
  for (const part of header.split(',')) {
    const [k, v] = part.split('=');
    if (k?.trim()) prefer.set(k.trim().toLowerCase(), (v ?? '').trim().replace(/^"|"$/g, ''));
  }
  return prefer;
}

/**
 * OData-Version / OData-MaxVersion, Accept and $format. The response is 4.0 unless the client
 * allows 4.01; a client that requires a version above 4.01 gets 400.
 */
export function negotiate(headers: Record<string, string | undefined>, format: string | undefined): Negotiated {
  const requested = headers['odata-version'];
  if (requested && !['4.0', '4.01'].includes(requested.trim())) {
    throw ODataError.badRequest(`OData-Version ${requested} is not supported; this service speaks 4.0 and 4.01`, 'OData-Version', ErrorCode.BadRequest);
  }
  const max = headers['odata-maxversion']?.trim();
  if (max && Number(max) < 4) {
    throw ODataError.badRequest(`OData-MaxVersion ${max} is not supported; this service speaks 4.0 and 4.01`, 'OData-MaxVersion', ErrorCode.BadRequest);
  }
  const version = max && Number(max) >= 4.01 ? '4.01' : '4.0';

  let metadata: MetadataLevel = 'minimal';
  let wantsJson = false;
  let wantsXml = false;
  const sources: string[] = [];
  if (format) {
    const f = format.toLowerCase();
    if (f === 'json' || f.startsWith('json;')) sources.push('application/json' + f.slice(4));
    else if (f === 'xml') sources.push('application/xml');
    else sources.push(format);
  } else if (headers.accept) sources.push(...headers.accept.split(','));
  for (const s of sources) {
    const { type, params } = parseParams(s);
    if (type === 'application/json' || type === 'application/*' || type === '*/*') {
      if (type === 'application/json') wantsJson = true;
      const level = params.get('odata.metadata') ?? params.get('metadata');
      if (level === 'none' || level === 'full' || level === 'minimal') metadata = level;
      else if (level) throw new ODataError(406, ErrorCode.NotAcceptable, `odata.metadata=${level} is not supported`);
    }
    if (type === 'application/xml' || type === 'text/xml') wantsXml = true;
  }
  if (format && !wantsJson && !wantsXml) {
    throw new ODataError(406, ErrorCode.NotAcceptable, `$format=${format} is not supported; use json or xml`);
  }
  return { metadata, version, prefer: parsePrefer(headers.prefer), wantsJson, wantsXml };
}

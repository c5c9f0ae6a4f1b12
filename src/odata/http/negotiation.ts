import { ErrorCode, ODataError } from '../errors/odata-error';
import type { MetadataLevel } from '../sql/select-list';

export interface Negotiated {
  /** odata.metadata of JSON responses (minimal when JSON is not acceptable at all). */
  metadata: MetadataLevel;
  /** OData-Version of the response. */
  version: '4.0' | '4.01';
  /** Parsed Prefer header. */
  prefer: Map<string, string>;
  /** Some OData JSON representation is acceptable (else data requests are 406). */
  jsonAcceptable: boolean;
  /** $metadata as CSDL JSON rather than CSDL XML. */
  csdlJson: boolean;
  /** What the client asked for, for the 406 message. */
  asked: string;
}

/** One media range of an Accept header (RFC 9110 §12.5.1). */
interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

/** Splits at `sep` outside double-quoted strings. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && text[i] === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `application/json;odata.metadata=full;q=0.9, *\/*;q=0.1` -> ranges in the order given. */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const item of splitOutsideQuotes(header, ',')) {
    const [full, ...rest] = splitOutsideQuotes(item, ';');
    const [type, subtype] = full.trim().toLowerCase().split('/');
    if (!type || !subtype) continue; // not a media range: ignored, as RFC 9110 allows
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
      if (name === 'q') q = Math.min(Math.max(Number(value) || 0, 0), 1);
      else params.set(name, value);
    }
    ranges.push({ type, subtype, params, q });
  }
  return ranges;
}

/** A representation the service can produce: a media type and the OData parameter it carries. */
interface Representation {
  type: string;
  subtype: string;
  /** odata.metadata of an OData JSON payload; undefined for documents without it (CSDL). */
  metadata?: MetadataLevel;
}

/**
 * The quality a client gives a representation: the q of the most specific range that matches
 * it (type/subtype with odata.metadata, type/subtype, type/*, *\/*), and that range's position;
 * undefined when no range matches. Parameters other than odata.metadata (odata.streaming,
 * charset, IEEE754Compatible) do not take part.
 */
function qualityOf(r: Representation, ranges: MediaRange[]): { q: number; index: number } | undefined {
  let best: { q: number; index: number; specificity: number } | undefined;
  ranges.forEach((range, index) => {
    let specificity: number;
    if (range.type === '*' && range.subtype === '*') specificity = 1;
    else if (range.type !== r.type) return;
    else if (range.subtype === '*') specificity = 2;
    else if (range.subtype !== r.subtype) return;
    else specificity = 3;
    const level = range.params.get('odata.metadata') ?? range.params.get('metadata');
    if (level !== undefined && specificity === 3) {
      if (level !== r.metadata) return;
      specificity = 4;
    }
    if (!best || specificity > best.specificity) best = { q: range.q, index, specificity };
  });
  return best && { q: best.q, index: best.index };
}

const LEVELS: MetadataLevel[] = ['minimal', 'full', 'none'];

/**
 * The odata.metadata level by quality: highest q wins, a tie goes to the range listed first,
 * then to minimal. q=0 means not acceptable; undefined when no level is acceptable.
 */
function chooseLevel(ranges: MediaRange[]): MetadataLevel | undefined {
  let best: { level: MetadataLevel; q: number; index: number } | undefined;
  for (const level of LEVELS) {
    const m = qualityOf({ type: 'application', subtype: 'json', metadata: level }, ranges);
    if (!m || m.q === 0) continue;
    if (!best || m.q > best.q || (m.q === best.q && m.index < best.index)) best = { level, ...m };
  }
  return best?.level;
}

/**
 * $metadata: CSDL JSON only when application/json (without odata.metadata, which names a
 * payload format) is acceptable and strictly preferred to XML. A tie, e.g. axios'
 * `application/json, text/plain, *\/*`, goes to XML, which every OData client reads.
 */
function prefersCsdlJson(ranges: MediaRange[]): boolean {
  const json = qualityOf({ type: 'application', subtype: 'json' }, ranges)?.q ?? 0;
  const xml = Math.max(
    qualityOf({ type: 'application', subtype: 'xml' }, ranges)?.q ?? 0,
    qualityOf({ type: 'text', subtype: 'xml' }, ranges)?.q ?? 0,
  );
  return json > 0 && json > xml;
}

/** $format values as media ranges: json, xml, atom or a media type. */
function formatRanges(format: string): MediaRange[] {
  const f = format.trim();
  const lower = f.toLowerCase();
  if (lower === 'json' || lower.startsWith('json;')) return parseAccept('application/json' + f.slice(4));
  if (lower === 'xml') return parseAccept('application/xml');
  if (lower === 'atom') return parseAccept('application/atom+xml');
  return parseAccept(f);
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
 * OData-Version / OData-MaxVersion, Accept and $format ($format wins over Accept). The response
 * is 4.0 unless the client allows 4.01; a client that requires a version above 4.01 gets 400.
 */
export function negotiate(
  headers: Record<string, string | undefined>,
  format: string | undefined,
): Negotiated {
  const requested = headers['odata-version'];
  if (requested && !['4.0', '4.01'].includes(requested.trim())) {
    throw ODataError.badRequest(
      `OData-Version ${requested} is not supported; this service speaks 4.0 and 4.01`,
      'OData-Version',
      ErrorCode.BadRequest,
    );
  }
  const max = headers['odata-maxversion']?.trim();
  if (max && Number(max) < 4) {
    throw ODataError.badRequest(
      `OData-MaxVersion ${max} is not supported; this service speaks 4.0 and 4.01`,
      'OData-MaxVersion',
      ErrorCode.BadRequest,
    );
  }
  const version = max && Number(max) >= 4.01 ? '4.01' : '4.0';

  const accept = format === undefined ? headers.accept?.trim() : undefined;
  const ranges =
    format !== undefined ? formatRanges(format) : accept ? parseAccept(accept) : parseAccept('*/*');
  const level = chooseLevel(ranges);
  const csdlJson = prefersCsdlJson(ranges);
  if (format !== undefined && !level && !csdlJson && !/^(xml|application\/xml)$/i.test(format.trim())) {
    throw new ODataError(
      406,
      ErrorCode.NotAcceptable,
      `$format=${format} is not supported; use json (or xml for $metadata)`,
      '$format',
    );
  }
  return {
    metadata: level ?? 'minimal',
    version,
    prefer: parsePrefer(headers.prefer),
    jsonAcceptable: level !== undefined,
    csdlJson,
    asked: format !== undefined ? `$format=${format}` : `Accept: ${accept}`,
  };
}

/** Data (the service document, entities, collections, operations) is OData JSON only. */
export function requireJson(n: Negotiated): void {
  if (n.jsonAcceptable) return;
  const target = n.asked.startsWith('$format') ? '$format' : 'Accept';
  throw new ODataError(
    406,
    ErrorCode.NotAcceptable,
    `${n.asked.slice(0, 200)} cannot be served: this resource is application/json ` +
      '(odata.metadata=minimal, full or none)',
    target,
  );
}

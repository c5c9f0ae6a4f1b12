import { Parser } from 'htmlparser2';
import { ErrorCode, ODataError } from '../../odata/errors/odata-error';

/**
 * HTML -> plain text with bounded work. html-to-text (and the htmlparser2 DOM under it) take
 * time in the square of the element depth and recurse once per level: 8,000 nested <div>s
 * overflow the stack, 250 KB of them hold the event loop for seconds. So the HTML is measured
 * first by htmlparser2's streaming parser, which stops at the depth limit (its open-element
 * stack never grows past it, so the pass is linear), and converted only within the limits.
 */
export interface HtmlLimits {
  /** Characters of HTML (HTML_MAX_LENGTH). */
  maxLength: number;
  /** Nested elements (HTML_MAX_DEPTH). */
  maxDepth: number;
}

class TooDeep extends Error {}

/** Measured in slices of this many characters, with a turn of the event loop between them. */
const SLICE = 8192;

/**
 * Whether elements nest deeper than `max`, as the parser html-to-text uses sees them (implied
 * closes included). Linear, and in slices: 100,000 characters take tens of milliseconds, which
 * other requests should not wait for in one piece.
 */
export async function nestsDeeperThan(html: string, max: number): Promise<boolean> {
  let depth = 0;
  const parser = new Parser({
    onopentagname: () => {
      if (++depth > max) throw new TooDeep();
    },
    onclosetag: () => {
      depth--;
    },
  });
  try {
    for (let at = 0; at < html.length; at += SLICE) {
      if (at > 0) await new Promise((next) => setImmediate(next));
      parser.write(html.slice(at, at + SLICE));
    }
    parser.end();
    return false;
  } catch (e) {
    if (e instanceof TooDeep) return true;
    throw e;
  }
}

/** Refuses HTML a client sends (e.g. AddNote's htmlText) beyond the limits, naming the parameter. */
export async function checkHtml(html: string, limits: HtmlLimits, target: string): Promise<void> {
  if (html.length > limits.maxLength) {
    throw ODataError.badRequest(
      `${target} is ${html.length} characters of HTML; at most ${limits.maxLength} are accepted`,
      target,
      ErrorCode.LimitExceeded,
    );
  }
  if (await nestsDeeperThan(html, limits.maxDepth)) {
    throw ODataError.badRequest(
      `${target} nests HTML elements more than ${limits.maxDepth} deep`,
      target,
      ErrorCode.LimitExceeded,
    );
  }
}

/** html-to-text's options for notes and descriptions: links keep their text, not their URL. */
export function convertOptions(limits: HtmlLimits) {
  return {
    wordwrap: false as const,
    selectors: [{ selector: 'a', options: { ignoreHref: true } }],
    limits: { maxDepth: limits.maxDepth, maxInputLength: limits.maxLength },
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** Text between tags, whitespace collapsed and the common entities decoded: one pass, no parser. */
export function stripTags(html: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open < 0) {
      parts.push(html.slice(i));
      break;
    }
    parts.push(html.slice(i, open), ' ');
    const close = html.indexOf('>', open);
    if (close < 0) break;
    i = close + 1;
  }
  return parts
    .join('')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e])
    .replace(/\s+/g, ' ')
    .trim();
}

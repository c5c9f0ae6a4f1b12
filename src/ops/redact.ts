/**
 * Removes secrets from text that is about to be logged. The log serializers already leave out
 * headers and redact URLs; this is the net under them, applied to every finished log line (any
 * level, any logger, error messages and stacks included), so that a secret that reaches a
 * message some other way (an error that quotes a URL, a stack) is still never written.
 */
const PATTERNS: Array<[RegExp, string]> = [
  // Query parameters that carry credentials (api_key is how Power BI sends a token).
  [/([?&;](?:api[_-]?key|access_token|token|secret)=)[^&#\s"'\\]*/gi, '$1[redacted]'],
  // Credentials of an Authorization header quoted anywhere (not the realm of a challenge).
  [/\b(Bearer|Basic)\s+(?!realm=)[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  // Tokens this service issues have a recognisable prefix.
  [/\botk_[A-Za-z0-9_-]+/g, 'otk_[redacted]'],
  // The iCalendar feed's URL is its secret: /calendar/<secret>.ics.
  [/(\/calendar\/)[^/?#\s"'\\]+/g, '$1[redacted]'],
];

/** Secrets known by value (ADMIN_TOKEN, METRICS_TOKEN) are removed wherever they appear. */
export function secretRedactor(literals: Array<string | undefined> = []): (text: string) => string {
  const given = literals.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  // As written, and as they look inside a JSON string (a log line is JSON).
  const known = [...new Set(given.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  return (text) => {
    let out = text;
    for (const s of known) out = out.split(s).join('[redacted]');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

export const redactSecrets = secretRedactor();

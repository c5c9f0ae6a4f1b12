/**
 * Splits option text at a separator that is outside parentheses and string literals:
 *   splitTopLevel("Notes($top=2;$select=A,B),Status", ',') -> ["Notes($top=2;$select=A,B)", "Status"]
 */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'")
      quoted = !quoted; // '' inside a literal toggles twice: still correct
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** "Notes($top=2)" -> { head: "Notes", inner: "$top=2" }; no parentheses -> inner undefined. */
export function splitHeadAndParens(text: string): { head: string; inner?: string } {
  const open = text.indexOf('(');
  if (open < 0 || !text.endsWith(')')) return { head: text };
  return { head: text.slice(0, open).trim(), inner: text.slice(open + 1, -1) };
}

import type { BoundQuery } from '../bind/bound-query';
import type { EdmEntityType } from '../model/edm-model';
import type { Holes, ParamSource } from '../sql/sql-params';

/**
 * A bound query's shape: everything its SQL text depends on, written as a string (the plan
 * cache's key), and its literals in a fixed order (the "holes" a plan's parameters are filled
 * from). Two bound queries with the same key have the same tree with the same holes at the same
 * places, so a plan compiled from one serves the other with the other's hole values.
 *
 * What stays in the key although it comes from a literal, because the SQL depends on it: a null
 * literal (IS NULL), a literal's Edm type, list lengths, whether $top/$skip are present, every
 * name. What goes out: literal values, $top/$skip values, $search terms, the $skiptoken.
 */
export interface Shape {
  key: string;
  holes: Array<[Record<string, unknown>, string]>;
}

/** Keys whose values are holes (under objects of the bound tree). */
const HOLE_KEYS = new Set(['top', 'skip']);

export function shapeOf(bound: BoundQuery): Shape {
  const parts: string[] = [];
  const holes: Shape['holes'] = [];
  const ranges = new Map<object, number>();
  const walk = (v: unknown): void => {
    if (v === undefined || v === null) return void parts.push('_');
    if (typeof v !== 'object') return void parts.push(JSON.stringify(v) ?? String(v));
    if (Array.isArray(v)) {
      parts.push('[');
      for (const item of v) walk(item);
      return void parts.push(']');
    }
    const o = v as Record<string, any>;
    if (o.kind === 'literal') {
      parts.push(`L${o.type}${o.nullable ? '?' : ''}`);
      if (o.type !== 'null') holes.push([o, 'value']);
      return;
    }
    if (typeof o.setName === 'string' && typeof o.table === 'string')
      return void parts.push(entitySignature(o as EdmEntityType));
    if (typeof o.column === 'string' && 'isKey' in o)
      return void parts.push(`P${o.name}${o.dynamic ? `=${o.expression}` : ''}`);
    if ('join' in o && 'collection' in o) return void parts.push(`N${o.name}`);
    if (typeof o.name === 'string' && ('entity' in o || 'element' in o) && !('kind' in o)) {
      // A range variable: by identity (its first appearance), with its name and type.
      let id = ranges.get(o);
      if (id === undefined) ranges.set(o, (id = ranges.size));
      parts.push(`R${id}${o.name}:${o.element ?? ''}`);
      if (o.entity) walk(o.entity);
      return;
    }
    if (o.kind === 'term' && typeof o.text === 'string') {
      parts.push(`T${o.phrase ? 'p' : ''}`);
      return void holes.push([o, 'text']);
    }
    parts.push('{');
    for (const k in o) {
      const value = o[k];
      if (value === undefined) continue;
      parts.push(k, ':');
      if (HOLE_KEYS.has(k) && typeof value === 'number') {
        parts.push('H');
        holes.push([o, k]);
      } else if (k === 'skiptoken') parts.push(`S${skiptokenNulls(value)}`);
      else walk(value);
    }
    parts.push('}');
  };
  walk(bound);
  return { key: parts.join(' '), holes };
}

/** Which of a skiptoken's sort values are null (the keyset condition's SQL depends on it). */
function skiptokenNulls(text: string): string {
  try {
    const [after] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(after) ? after.map((v) => (v === null ? 'n' : 'v')).join('') : 'x';
  } catch {
    return 'x'; // compiling it answers 400
  }
}

const signatures = new WeakMap<EdmEntityType, string>();

/** A set's name, and its dynamic properties as they are now (a type object is immutable). */
function entitySignature(type: EdmEntityType): string {
  let s = signatures.get(type);
  if (s === undefined) {
    const dynamic = type.properties.filter((p) => p.dynamic);
    s = `E${type.setName}${dynamic.map((p) => `|${p.name}:${p.type}=${p.expression}`).join('')}`;
    signatures.set(type, s);
  }
  return s;
}

/** The holes of a shape, for the SQL builders (SqlParams.holes): where each literal's value is. */
export function holeIndex(shape: Shape): Holes {
  const index = new Map<object, Map<string, number>>();
  shape.holes.forEach(([o, k], i) => {
    let byKey = index.get(o);
    if (!byKey) index.set(o, (byKey = new Map()));
    byKey.set(k, i);
  });
  return {
    at(owner, key, map): ParamSource | undefined {
      const i = index.get(owner)?.get(key);
      return i === undefined ? undefined : { k: 'hole', i, map };
    },
  };
}

/** The hole values of a request, in the shape's order. */
export function holeValues(shape: Shape): unknown[] {
  return shape.holes.map(([o, k]) => o[k]);
}

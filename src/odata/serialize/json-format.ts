import type { EdmEntityType, EdmProperty } from '../model/edm-model';
import type { QueryOptions } from '../query/odata-query';
import type { Negotiated } from '../http/negotiation';

export const JSON_CONTENT_TYPE = (n: Negotiated) =>
  `application/json;odata.metadata=${n.metadata};odata.streaming=true;IEEE754Compatible=false;charset=utf-8`;

/** `$metadata#Task(Name,EndDateTime,Notes())` for a collection with $select/$expand. */
export function selectExpandSuffix(options: QueryOptions): string {
  const items: string[] = [];
  if (options.select && !options.select.includes('*')) items.push(...options.select);
  for (const e of options.expand) items.push(`${e.path.join('/')}${e.ref ? '/$ref' : '()'}`);
  return items.length ? `(${items.join(',')})` : '';
}

export function collectionContext(serviceRoot: string, type: EdmEntityType, options: QueryOptions): string {
  return `${serviceRoot}/$metadata#${type.setName}${selectExpandSuffix(options)}`;
}

export function entityContext(serviceRoot: string, type: EdmEntityType, options: QueryOptions): string {
  return `${serviceRoot}/$metadata#${type.setName}${selectExpandSuffix(options)}/$entity`;
}

/** Inserts annotations in front of a JSON object text that PostgreSQL built: `{"a":1}` -> `{"@x":..,"a":1}`. */
export function withLeadingAnnotations(objectJson: string, annotations: Record<string, unknown>): string {
  const head = Object.entries(annotations)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(',');
  if (!head) return objectJson;
  return objectJson === '{}' ? `{${head}}` : `{${head},${objectJson.slice(1)}`;
}

/** Primitive types a JSON value identifies by itself (JSON Format §4.5.3): no annotation needed. */
const SELF_DESCRIBING = new Set(['Edm.String', 'Edm.Boolean', 'Edm.Double']);

/** `Prop@odata.type` of a property with odata.metadata=full: `#Guid`, `#Collection(String)`. */
export function propertyTypeAnnotation(p: Pick<EdmProperty, 'type' | 'collection'>): string | undefined {
  const name = p.type.replace(/^Edm\./, '');
  if (p.collection) return `#Collection(${name})`;
  return SELF_DESCRIBING.has(p.type) ? undefined : `#${name}`;
}

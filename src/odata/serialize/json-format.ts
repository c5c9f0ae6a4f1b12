import type { EdmEntityType } from '../model/edm-model';
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

import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmEntityType } from '../model/edm-model';
import type { ComputeItem } from '../query/odata-query';
import { TranslateContext, translate } from './filter-to-sql';

/**
 * $compute: the entity type seen by the rest of the request gains one property per computed
 * expression, so $select, $filter and $orderby use it like any other property.
 *   $compute=WorkAmount mul 2 as Double  ->  property Double = (e0."WorkAmount" * CAST(:p0 AS bigint))
 */
export function withComputed(
  type: EdmEntityType,
  items: ComputeItem[] | undefined,
  ctx: TranslateContext,
): EdmEntityType {
  if (!items?.length) return type;
  const properties = [...type.properties];
  const property = new Map(type.property);
  for (const item of items) {
    if (property.has(item.alias) || type.navigation.has(item.alias)) {
      throw ODataError.badRequest(
        `$compute alias '${item.alias}' is already a property of ${type.name}`,
        '$compute',
        ErrorCode.BadQueryOption,
      );
    }
    const t = translate(item.expr, {
      ...ctx,
      root: { kind: 'entity', type: { ...type, properties, property }, alias: ctx.root.alias },
    });
    if (t.type === 'null')
      throw ODataError.badRequest(
        `$compute '${item.alias}' has no type`,
        '$compute',
        ErrorCode.BadQueryOption,
      );
    const p = {
      name: item.alias,
      column: item.alias,
      type: t.type,
      collection: false,
      nullable: true,
      computed: true,
      immutable: false,
      isKey: false,
      hasDefault: true,
      expression: t.sql,
      queryComputed: true,
    };
    properties.push(p);
    property.set(item.alias, p);
  }
  return { ...type, properties, property };
}

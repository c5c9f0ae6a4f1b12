import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EdmPrimitive } from '../../odata/model/edm-model';
import { DynamicPropertySource, ODataDynamicProperties } from '../../odata/model/dynamic-properties';

const EDM_BY_FIELD_TYPE: Record<string, EdmPrimitive> = {
  String: 'Edm.String',
  Number: 'Edm.Double',
  Boolean: 'Edm.Boolean',
  Date: 'Edm.DateTimeOffset',
};
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,120}$/;

/**
 * DynamicTaskItem's CF_<FieldName> properties: one per project-defined field that exists,
 * typed by the field's Type, so $metadata declares them and $filter/$orderby compare them as
 * numbers, dates or booleans. A field name used with two types in different projects is
 * declared as a string.
 */
@Injectable()
@ODataDynamicProperties()
export class CustomFieldCatalog implements DynamicPropertySource {
  readonly typeName = 'DynamicTaskItem';

  async properties(m: EntityManager): Promise<Array<{ name: string; type: EdmPrimitive; key: string }>> {
    const rows: Array<{ FieldName: string; types: string[] }> = await m.query(
      `SELECT "FieldName", array_agg(DISTINCT "Type") AS types FROM project_defined_field GROUP BY "FieldName" ORDER BY "FieldName"`,
    );
    return rows
      .filter((r) => IDENTIFIER.test(r.FieldName))
      .map((r) => ({
        name: `CF_${r.FieldName}`,
        key: r.FieldName,
        type: r.types.length === 1 ? EDM_BY_FIELD_TYPE[r.types[0]] : 'Edm.String',
      }));
  }

  async stamp(m: EntityManager): Promise<string> {
    const [row] = await m.query(
      `SELECT count(*) AS n, COALESCE(max("Version"), 0) AS v FROM project_defined_field`,
    );
    return `${row.n}:${row.v}`;
  }
}

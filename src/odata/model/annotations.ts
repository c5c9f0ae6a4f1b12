import { EdmEntityType, EdmModel, qualified } from './edm-model';

/** Vocabularies referenced by $metadata. */
export const CORE_VOCABULARY = [
  {
    uri: 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml',
    namespace: 'Org.OData.Core.V1',
    alias: 'Core',
  },
  {
    uri: 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml',
    namespace: 'Org.OData.Capabilities.V1',
    alias: 'Capabilities',
  },
  {
    uri: 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Aggregation.V1.xml',
    namespace: 'Org.OData.Aggregation.V1',
    alias: 'Aggregation',
  },
];

/** One annotation in a shape both CSDL writers understand: primitives, arrays, records. */
export interface ModelAnnotation {
  term: string;
  value: unknown;
}

/**
 * Annotations that target model elements from outside (Annotations Target="..."): what the
 * service supports, so clients such as Excel and Power BI know what they can push down.
 */
export function annotationsOf(model: EdmModel): Map<string, ModelAnnotation[]> {
  const result = new Map<string, ModelAnnotation[]>();
  const container = qualified(model, model.containerName);
  result.set(container, [
    // BI tools fold aggregations into the request when they see this.
    {
      term: 'Aggregation.ApplySupported',
      value: {
        Transformations: ['filter', 'groupby', 'aggregate'],
        Rollup: { $EnumMember: 'Aggregation.RollupType/None' },
      },
    },
    { term: 'Capabilities.KeyAsSegmentSupported', value: false },
    { term: 'Capabilities.BatchSupported', value: true },
    {
      term: 'Capabilities.BatchSupport',
      value: {
        Supported: true,
        ContinueOnErrorSupported: true,
        ReferencesInRequestBodiesSupported: true,
        ReferencesAcrossChangeSetsSupported: true,
        SupportedFormats: ['multipart/mixed', 'application/json'],
      },
    },
  ]);
  for (const t of model.entityTypes) {
    const list: ModelAnnotation[] = [
      { term: 'Capabilities.CountRestrictions', value: { Countable: true } },
      { term: 'Capabilities.FilterRestrictions', value: { Filterable: true } },
      { term: 'Capabilities.SortRestrictions', value: { Sortable: true } },
      { term: 'Capabilities.ExpandRestrictions', value: { Expandable: t.navigation.size > 0 } },
      { term: 'Capabilities.TopSupported', value: true },
      { term: 'Capabilities.SkipSupported', value: true },
      { term: 'Capabilities.SearchRestrictions', value: { Searchable: t.searchable.length > 0 } },
      // Tracked reads take $filter and $select only (odata/delta/delta-options.ts).
      {
        term: 'Capabilities.ChangeTracking',
        value: { Supported: !!t.changeTracking },
      },
    ];
    if (t.readOnly) {
      list.push(
        { term: 'Capabilities.InsertRestrictions', value: { Insertable: false } },
        { term: 'Capabilities.UpdateRestrictions', value: { Updatable: false } },
        { term: 'Capabilities.DeleteRestrictions', value: { Deletable: false } },
      );
    }
    const restricted = navigationRestrictions(t, model);
    if (restricted.length) {
      list.push({ term: 'Capabilities.NavigationRestrictions', value: { RestrictedProperties: restricted } });
    }
    result.set(`${container}/${t.setName}`, list);
  }
  return result;
}

/**
 * What cannot be done through a navigation property although the target set allows it:
 * POST to a link table's navigation (Task(<key>)/Documents, /Followers: the task's actions
 * change those), and changing or deleting the entity behind a single-valued one
 * (Task(<key>)/Project: use its own URL). Generated clients and /docs then offer only what the
 * service accepts (http/allowed-methods.ts decides the same).
 */
function navigationRestrictions(t: EdmEntityType, model: EdmModel): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const nav of t.navigation.values()) {
    if (model.types.get(nav.target)?.readOnly) continue; // the target set says it already
    const path = { $NavigationPropertyPath: nav.name };
    if (nav.collection && nav.join.kind !== 'foreignKey') {
      out.push({ NavigationProperty: path, InsertRestrictions: { Insertable: false } });
    } else if (!nav.collection) {
      out.push({
        NavigationProperty: path,
        UpdateRestrictions: { Updatable: false },
        DeleteRestrictions: { Deletable: false },
      });
    }
  }
  return out;
}

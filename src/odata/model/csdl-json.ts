import { EdmModel, qualified } from './edm-model';
import { CORE_VOCABULARY, annotationsOf } from './annotations';

/** EdmModel -> CSDL JSON ($metadata?$format=json). Reads only the model. */
export function toCsdlJson(model: EdmModel): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  const q = (name: string) => qualified(model, name);

  for (const t of model.entityTypes) {
    const et: Record<string, unknown> = { $Kind: 'EntityType', $Key: t.keys.map((k) => k.name) };
    if (t.openType) et.$OpenType = true;
    for (const p of t.properties) {
      const prop: Record<string, unknown> = {};
      if (p.collection) prop.$Collection = true;
      if (p.type !== 'Edm.String') prop.$Type = p.type;
      if (p.nullable) prop.$Nullable = true;
      if (p.maxLength) prop.$MaxLength = p.maxLength;
      if (p.type === 'Edm.DateTimeOffset') prop.$Precision = 6;
      if (p.computed) prop['@Core.Computed'] = true;
      if (p.immutable) prop['@Core.Immutable'] = true;
      et[p.name] = prop;
    }
    for (const n of t.navigation.values()) {
      const nav: Record<string, unknown> = { $Kind: 'NavigationProperty', $Type: q(n.target) };
      if (n.collection) nav.$Collection = true;
      else if (n.nullable) nav.$Nullable = true;
      if (n.partner) nav.$Partner = n.partner;
      if (n.onDelete) nav.$OnDelete = n.onDelete;
      if (n.constraints.length)
        nav.$ReferentialConstraint = Object.fromEntries(
          n.constraints.map((c) => [c.property, c.referencedProperty]),
        );
      et[n.name] = nav;
    }
    schema[t.name] = et;
  }
  for (const c of model.complexTypes) {
    const ct: Record<string, unknown> = { $Kind: 'ComplexType' };
    for (const p of c.properties) {
      ct[p.name] = {
        ...(p.collection ? { $Collection: true } : {}),
        ...(p.type !== 'Edm.String' ? { $Type: q(p.type) } : {}),
        ...(p.nullable ? { $Nullable: true } : {}),
      };
    }
    schema[c.name] = ct;
  }
  for (const op of model.operations) {
    const overloads = (schema[op.name] as unknown[]) ?? [];
    const params = op.parameters.map((p) => ({
      $Name: p.name,
      ...(p.collection ? { $Collection: true } : {}),
      ...(p.type !== 'Edm.String' ? { $Type: q(p.type) } : {}),
      ...(p.nullable ? { $Nullable: true } : {}),
    }));
    if (op.binding) {
      params.unshift({
        $Name: 'bindingParameter',
        $Type: q(model.sets.get(op.binding.entitySet)!.name),
        ...(op.binding.collection ? { $Collection: true } : {}),
      } as any);
    }
    overloads.push({
      $Kind: op.kind === 'action' ? 'Action' : 'Function',
      ...(op.binding ? { $IsBound: true } : {}),
      ...(op.entitySetPath && op.binding ? { $EntitySetPath: op.entitySetPath } : {}),
      ...(params.length ? { $Parameter: params } : {}),
      ...(op.returnType
        ? {
            $ReturnType: {
              ...(op.returnType.collection ? { $Collection: true } : {}),
              $Type: q(op.returnType.type),
              ...(op.returnType.nullable ? { $Nullable: true } : {}),
            },
          }
        : {}),
    });
    schema[op.name] = overloads;
  }

  const container: Record<string, unknown> = { $Kind: 'EntityContainer' };
  for (const t of model.entityTypes) {
    const set: Record<string, unknown> = { $Collection: true, $Type: q(t.name) };
    if (t.navigation.size) {
      set.$NavigationPropertyBinding = Object.fromEntries(
        [...t.navigation.values()].map((n) => [n.name, model.types.get(n.target)!.setName]),
      );
    }
    container[t.setName] = set;
  }
  for (const op of model.operations.filter((o) => !o.binding)) {
    container[op.name] =
      op.kind === 'action'
        ? { $Action: q(op.name), ...(op.entitySetPath ? { $EntitySet: op.entitySetPath } : {}) }
        : {
            $Function: q(op.name),
            $IncludeInServiceDocument: true,
            ...(op.entitySetPath ? { $EntitySet: op.entitySetPath } : {}),
          };
  }
  schema[model.containerName] = container;

  const annotations: Record<string, Record<string, unknown>> = {};
  for (const [target, list] of annotationsOf(model)) {
    annotations[target] = Object.fromEntries(list.map((a) => [`@${a.term}`, jsonAnnotationValue(a.value)]));
  }
  schema.$Annotations = annotations;

  return {
    $Version: '4.0',
    $EntityContainer: q(model.containerName),
    $Reference: Object.fromEntries(
      CORE_VOCABULARY.map((v) => [v.uri, { $Include: [{ $Namespace: v.namespace, $Alias: v.alias }] }]),
    ),
    [model.namespace]: schema,
  };
}

/** CSDL JSON writes enumeration members as their names ({$EnumMember: 'NS.Type/None'} -> 'None'), paths as strings. */
function jsonAnnotationValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(jsonAnnotationValue);
  if (v && typeof v === 'object') {
    if ('$EnumMember' in v)
      return String((v as { $EnumMember: string }).$EnumMember)
        .split('/')
        .pop();
    if ('$NavigationPropertyPath' in v)
      return (v as { $NavigationPropertyPath: string }).$NavigationPropertyPath;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonAnnotationValue(x)]));
  }
  return v;
}

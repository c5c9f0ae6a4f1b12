import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { EdmEntityType, EdmModel, EdmOperation, qualified } from './edm-model';
import { CORE_VOCABULARY, ModelAnnotation, annotationsOf } from './annotations';

/** EdmModel -> CSDL XML ($metadata). Reads only the model. */
export function toCsdlXml(model: EdmModel): string {
  const root = create({ version: '1.0', encoding: 'utf-8' }).ele(
    'http://docs.oasis-open.org/odata/ns/edmx',
    'edmx:Edmx',
    { Version: '4.0' },
  );
  for (const v of CORE_VOCABULARY) {
    root
      .ele('edmx:Reference', { Uri: v.uri })
      .ele('edmx:Include', { Namespace: v.namespace, Alias: v.alias });
  }
  const schema = root
    .ele('edmx:DataServices')
    .ele('http://docs.oasis-open.org/odata/ns/edm', 'Schema', { Namespace: model.namespace });

  for (const t of model.entityTypes) entityTypeXml(schema, model, t);
  for (const c of model.complexTypes) {
    const ct = schema.ele('ComplexType', { Name: c.name });
    for (const p of c.properties) {
      ct.ele('Property', {
        Name: p.name,
        Type: typeRef(model, p.type, p.collection),
        ...(p.nullable ? {} : { Nullable: 'false' }),
      });
    }
  }
  for (const op of model.operations) operationXml(schema, model, op);

  const container = schema.ele('EntityContainer', { Name: model.containerName });
  for (const t of model.entityTypes) {
    const set = container.ele('EntitySet', { Name: t.setName, EntityType: qualified(model, t.name) });
    for (const n of t.navigation.values()) {
      set.ele('NavigationPropertyBinding', { Path: n.name, Target: model.types.get(n.target)!.setName });
    }
  }
  for (const op of model.operations.filter((o) => !o.binding)) {
    const attrs: Record<string, string> = {
      Name: op.name,
      [op.kind === 'action' ? 'Action' : 'Function']: qualified(model, op.name),
    };
    if (op.entitySetPath) attrs.EntitySet = op.entitySetPath;
    if (op.kind === 'function') attrs.IncludeInServiceDocument = 'true';
    container.ele(op.kind === 'action' ? 'ActionImport' : 'FunctionImport', attrs);
  }
  const targeted = annotationsOf(model);
  for (const [target, list] of targeted) {
    const el = schema.ele('Annotations', { Target: target });
    for (const a of list) annotationXml(el, a);
  }
  return root.end({ prettyPrint: true });
}

function typeRef(model: EdmModel, type: string, collection: boolean): string {
  const q = qualified(model, type);
  return collection ? `Collection(${q})` : q;
}

function entityTypeXml(schema: XMLBuilder, model: EdmModel, t: EdmEntityType): void {
  const et = schema.ele('EntityType', { Name: t.name, ...(t.openType ? { OpenType: 'true' } : {}) });
  const key = et.ele('Key');
  for (const k of t.keys) key.ele('PropertyRef', { Name: k.name });
  for (const p of t.properties) {
    const el = et.ele('Property', {
      Name: p.name,
      Type: typeRef(model, p.type, p.collection),
      ...(p.nullable ? {} : { Nullable: 'false' }),
      ...(p.maxLength ? { MaxLength: String(p.maxLength) } : {}),
      ...(p.type === 'Edm.DateTimeOffset' ? { Precision: '6' } : {}),
    });
    if (p.computed) el.ele('Annotation', { Term: 'Core.Computed', Bool: 'true' });
    if (p.immutable) el.ele('Annotation', { Term: 'Core.Immutable', Bool: 'true' });
  }
  for (const n of t.navigation.values()) {
    const el = et.ele('NavigationProperty', {
      Name: n.name,
      Type: typeRef(model, n.target, n.collection),
      ...(!n.collection && !n.nullable ? { Nullable: 'false' } : {}),
      ...(n.partner ? { Partner: n.partner } : {}),
    });
    if (n.onDelete) el.ele('OnDelete', { Action: n.onDelete });
    for (const c of n.constraints)
      el.ele('ReferentialConstraint', { Property: c.property, ReferencedProperty: c.referencedProperty });
  }
}

function operationXml(schema: XMLBuilder, model: EdmModel, op: EdmOperation): void {
  const el = schema.ele(op.kind === 'action' ? 'Action' : 'Function', {
    Name: op.name,
    ...(op.binding ? { IsBound: 'true' } : {}),
    ...(op.entitySetPath && op.binding ? { EntitySetPath: op.entitySetPath } : {}),
  });
  if (op.binding) {
    const bound = model.sets.get(op.binding.entitySet)!;
    el.ele('Parameter', {
      Name: 'bindingParameter',
      Type: typeRef(model, bound.name, op.binding.collection),
      Nullable: 'false',
    });
  }
  for (const p of op.parameters) {
    el.ele('Parameter', {
      Name: p.name,
      Type: typeRef(model, p.type, p.collection),
      ...(p.nullable ? {} : { Nullable: 'false' }),
    });
  }
  if (op.returnType) {
    el.ele('ReturnType', {
      Type: typeRef(model, op.returnType.type, op.returnType.collection),
      ...(op.returnType.nullable ? {} : { Nullable: 'false' }),
    });
  }
}

function annotationXml(parent: XMLBuilder, a: ModelAnnotation): void {
  const el = parent.ele('Annotation', { Term: a.term });
  writeValue(el, a.value, true);
}

function writeValue(el: XMLBuilder, value: unknown, inline: boolean): void {
  if (typeof value === 'boolean') {
    if (inline) el.att('Bool', String(value));
    else el.ele('Bool').txt(String(value));
  } else if (typeof value === 'number') {
    if (inline) el.att('Int', String(value));
    else el.ele('Int').txt(String(value));
  } else if (typeof value === 'string') {
    if (inline) el.att('String', value);
    else el.ele('String').txt(value);
  } else if (Array.isArray(value)) {
    const c = el.ele('Collection');
    for (const v of value) writeValue(c, v, false);
  } else if (value && typeof value === 'object') {
    const r = el.ele('Record');
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$')) continue;
      const pv = r.ele('PropertyValue', { Property: k });
      if (v && typeof v === 'object' && '$EnumMember' in (v as object))
        pv.att('EnumMember', (v as any).$EnumMember);
      else if (v && typeof v === 'object' && '$PropertyPath' in (v as object))
        pv.att('PropertyPath', (v as any).$PropertyPath);
      else if (v && typeof v === 'object' && '$NavigationPropertyPath' in (v as object)) {
        pv.att('NavigationPropertyPath', (v as any).$NavigationPropertyPath);
      } else writeValue(pv, v, true);
    }
  }
}

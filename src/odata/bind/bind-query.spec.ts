import { appModel } from '../../../test/support/edm-model';
import { ODataError } from '../errors/odata-error';
import type { EdmModel } from '../model/edm-model';
import { parseQuery } from '../uri/parse-query-options';
import type { BoundExpr, BoundQuery } from './bound-query';
import { bindQuery } from './bind-query';
import { BindLimits, NO_LIMITS } from './limits';
import { unknownWhereFalse } from './null-semantics';

/** Unit tests of bind/ over the app's real model, without PostgreSQL. */
let model: EdmModel;
beforeAll(async () => {
  model = (await appModel()).model;
});

const bind = (set: string, query: string, limits: BindLimits = NO_LIMITS): BoundQuery =>
  bindQuery({ model, type: model.sets.get(set)!, query: parseQuery(query), limits });
const filter = (text: string, set = 'Task') => bind(set, `$filter=${encodeURIComponent(text)}`).filter!;

/** The ODataError a bind throws: status, code and message. */
function failure(set: string, query: string, limits: BindLimits = NO_LIMITS) {
  try {
    bind(set, query, limits);
  } catch (e) {
    if (e instanceof ODataError) return { status: e.status, code: e.code, message: e.message };
    throw e;
  }
  throw new Error(`${query} bound without an error`);
}

/** A compact view of a bound expression: kind, type, nullability. */
const shape = (e: BoundExpr) => ({ kind: e.kind, type: e.type, nullable: e.nullable });

describe('bind: names and types', () => {
  it('resolves properties with their Edm type and nullability', () => {
    const e = filter('CustomColor gt 5') as Extract<BoundExpr, { kind: 'compare' }>;
    expect(shape(e)).toEqual({ kind: 'compare', type: 'Edm.Boolean', nullable: false });
    expect(shape(e.left)).toEqual({ kind: 'property', type: 'Edm.Int32', nullable: true });
    // the literal is typed from the other side, once
    expect(shape(e.right)).toEqual({ kind: 'literal', type: 'Edm.Int32', nullable: false });
    expect((filter('WorkAmount gt 3') as any).right.type).toBe('Edm.Double');
    expect((filter('WorkAmount gt 3') as any).left.nullable).toBe(false);
  });

  it('walks single-valued navigations; a value through one is nullable', () => {
    const e = filter("Project/Name eq 'A'") as any;
    expect(e.left.kind).toBe('property');
    expect(e.left.navs.map((s: any) => s.nav.name)).toEqual(['Project']);
    expect(e.left.property.name).toBe('Name');
    expect(e.left.nullable).toBe(true);
    expect(shape(filter('Project eq null'))).toEqual({
      kind: 'isNull',
      type: 'Edm.Boolean',
      nullable: false,
    });
  });

  it('types literals: a quoted Guid where the other side is a Guid, a date as a DateTimeOffset', () => {
    const guid = filter("ProjectId eq 'aaaaaaaa-0000-4000-8000-000000000000'") as any;
    expect(guid.right).toMatchObject({ kind: 'literal', type: 'Edm.Guid' });
    expect((filter('EndDateTime lt 2025-01-01') as any).right.type).toBe('Edm.DateTimeOffset');
  });

  it('lambda variables range over collection elements; $it stays the resource', () => {
    const any = filter("Notes/any(n: n/Note eq 'x' and $it/IsDone)") as any;
    expect(any.kind).toBe('any');
    expect(any.source.element.entity.name).toBe('TaskItemNote');
    expect(any.predicate.left.left.range).toBe(any.source.element);
    expect(any.predicate.right.property.name).toBe('IsDone');
    const tags = filter("Tags/any(t: t eq 'home')") as any;
    expect(shape(tags.predicate.left)).toEqual({ kind: 'element', type: 'Edm.String', nullable: true });
    const count = filter('Notes/$count gt 1') as any;
    expect(shape(count.left)).toEqual({ kind: 'count', type: 'Edm.Int64', nullable: false });
    expect(count.left.source.nav.nav.name).toBe('Notes');
  });

  it('$compute aliases bind as typed values usable by $filter, $orderby and $select', () => {
    const q = bind(
      'Task',
      '$compute=WorkAmount mul 2 as W2&$filter=W2 gt 4&$orderby=W2 desc&$select=Name,W2',
    );
    expect(q.compute[0]).toMatchObject({ alias: 'W2', property: { type: 'Edm.Double' } });
    expect((q.filter as any).left).toMatchObject({ kind: 'computed', alias: 'W2', type: 'Edm.Double' });
    expect(q.orderby[0].expr.kind).toBe('computed');
    expect(q.select.properties.map((p) => p.name)).toEqual(['TaskItemId', 'Name', 'W2']);
  });

  it('$apply outputs are the names after groupby, navigation paths included', () => {
    const q = bind(
      'Task',
      '$apply=groupby((Project/Name,IsDone),aggregate(WorkAmount with sum as Total,$count as C))&$filter=Total gt 1&$orderby=Project/Name',
    );
    expect(q.apply!.columns).toEqual(['Project/Name', 'IsDone', 'Total', 'C']);
    expect((q.filter as any).left).toMatchObject({ kind: 'property', type: 'Edm.Double' });
    expect((q.filter as any).left.range).toBe(q.apply!.output);
    expect((q.orderby[0].expr as any).property.name).toBe('Project/Name');
  });

  it('$expand binds nested options against the target type', () => {
    const q = bind(
      'Task',
      "$expand=Notes($filter=contains(Note,'a');$orderby=Note;$top=2;$select=Note;$expand=Task)",
    );
    const notes = q.expand[0];
    expect(notes.step.target.name).toBe('TaskItemNote');
    expect((notes.filter as any).args[0].range).toBe(notes.range);
    expect(notes.select.properties.map((p) => p.name)).toEqual(['TaskItemNoteId', 'Note']);
    expect(notes.expand[0].step.target.name).toBe('Task');
  });
});

describe('bind: OData null semantics and boolean comparisons', () => {
  it('a comparison is never null; functions and not propagate null', () => {
    expect(filter('CustomColor gt 5').nullable).toBe(false);
    expect(filter('not (CustomColor gt 5)').nullable).toBe(false);
    expect(filter("contains(Name,'a')").nullable).toBe(true);
    expect(filter("not contains(Name,'a')").nullable).toBe(true);
    expect(filter("contains(Name,'a') eq true").nullable).toBe(false);
  });

  it('knows where a three-valued evaluation would say unknown instead of false', () => {
    expect(unknownWhereFalse(filter('CustomColor gt 5'))).toBe(true);
    expect(unknownWhereFalse(filter('WorkAmount gt 5'))).toBe(false);
    expect(unknownWhereFalse(filter('CustomColor in (1,2)'))).toBe(true);
  });

  it('booleans compare with booleans', () => {
    for (const f of [
      "contains(Name,'a') eq true",
      "startswith(Name,'D') eq false",
      '(IsDone eq false) eq true',
    ]) {
      const e = filter(f) as any;
      expect(e.kind).toBe('compare');
      expect([e.left.type, e.right.type]).toEqual(['Edm.Boolean', 'Edm.Boolean']);
    }
  });

  it('comparisons with the null literal: eq/ne test for null, order comparisons are false', () => {
    expect(filter('Name eq null')).toMatchObject({ kind: 'isNull', negated: false });
    expect(filter('null ne Name')).toMatchObject({ kind: 'isNull', negated: true });
    expect(filter('CustomColor gt null')).toMatchObject({ kind: 'constant', value: false });
    expect(filter('null eq null')).toMatchObject({ kind: 'constant', value: true });
    expect(filter('null lt null')).toMatchObject({ kind: 'constant', value: false });
  });
});

describe('bind: limits, checked here and only here', () => {
  const limits: BindLimits = {
    maxTop: 100,
    maxExpandDepth: 2,
    maxInList: 3,
    maxFilterNodes: 10,
    maxNesting: 6,
  };
  const limit = (set: string, q: string) => failure(set, q, limits);

  it.each([
    ['$top', '$top=101', '$top=101 exceeds the maximum of 100'],
    ['$top in $expand', '$expand=Notes($top=101)', '$top=101 exceeds the maximum of 100'],
    ['in-list length', "$filter=Name in ('a','b','c','d')", 'The in list has 4 items; at most 3 are allowed'],
    [
      'filter node count',
      '$filter=' +
        encodeURIComponent('WorkAmount gt 1 and WorkAmount gt 2 and WorkAmount gt 3 and WorkAmount gt 4'),
      '$filter has more than 10 nodes',
    ],
    [
      'filter nodes in $expand',
      '$expand=Notes($filter=' +
        encodeURIComponent("Note eq 'a' or Note eq 'b' or Note eq 'c' or Note eq 'd'") +
        ')',
      '$filter has more than 10 nodes',
    ],
    [
      '$apply filter nodes',
      '$apply=filter(' +
        encodeURIComponent('WorkAmount gt 1 and WorkAmount gt 2 and WorkAmount gt 3 and WorkAmount gt 4') +
        ')/aggregate($count as C)',
      '$apply has more than 10 nodes',
    ],
    [
      'nesting depth',
      '$filter=' + encodeURIComponent('-(-(-(-(-(-(-WorkAmount)))))) gt 1'),
      '$filter is nested more than 6 levels deep',
    ],
    [
      '$expand depth',
      '$expand=Notes($expand=Task($expand=Project))',
      '$expand is nested 3 levels deep; at most 2 are allowed',
    ],
  ])('%s', (_name, q, message) => {
    expect(limit('Task', q)).toEqual({ status: 400, code: 'ODATA107', message });
  });

  it('within the limits, the same options bind', () => {
    expect(() =>
      bind('Task', "$top=100&$filter=Name in ('a','b','c')&$expand=Notes($expand=Task)", limits),
    ).not.toThrow();
  });
});

describe('bind: every 400 of query meaning', () => {
  it.each([
    ['unknown property', '$filter=Nope eq 1', 'ODATA201', "Property 'Nope' does not exist on Task"],
    [
      'a name outside its lambda',
      "$filter=Notes/any(n: n/Note eq 'a') and n/Note eq 'a'",
      'ODATA201',
      "Property 'n' does not exist on Task",
    ],
    [
      'path through a collection',
      "$filter=Notes/Note eq 'a'",
      'ODATA101',
      "'Notes' is a collection; use any(), all() or $count on it",
    ],
    [
      'collection as a value',
      "$filter=Tags eq 'a'",
      'ODATA101',
      "'Tags' is a collection; use any() or all()",
    ],
    ['not a collection', "$filter=Name/any(n: n eq 'a')", 'ODATA101', "'Name' is not a collection"],
    [
      'property of a primitive',
      '$filter=Name/Length eq 1',
      'ODATA201',
      "Property 'Name' has no properties of its own",
    ],
    ['incomparable types', '$filter=Name eq 1', 'ODATA105', 'Cannot compare Edm.String with Edm.Int64'],
    ['non-boolean filter', '$filter=WorkAmount', 'ODATA105', 'Expression must be boolean, but is Edm.Double'],
    [
      'not of a number',
      '$filter=not WorkAmount',
      'ODATA105',
      'Expression must be boolean, but is Edm.Double',
    ],
    [
      'wrong argument type',
      '$filter=length(WorkAmount) eq 1',
      'ODATA105',
      'Argument 1 of length must be a string value, but is Edm.Double',
    ],
    [
      'arithmetic on strings',
      "$filter=Name add 1 eq 'a'",
      'ODATA105',
      'Operator add needs numbers, but got Edm.String',
    ],
    [
      'date times date',
      '$filter=EndDateTime mul 2 eq EndDateTime',
      'ODATA105',
      'Operator mul cannot combine Edm.DateTimeOffset and Edm.Int64',
    ],
    ['bad Guid', "$filter=ProjectId eq 'nope'", 'ODATA102', "'nope' is not a valid Guid"],
    [
      'entity as a value',
      '$filter=Notes/any(n: n eq 1)',
      'ODATA101',
      'An entity cannot be used as a value here',
    ],
    [
      '$compute alias clash',
      '$compute=WorkAmount as Name',
      'ODATA101',
      "$compute alias 'Name' is already a property of Task",
    ],
    ['$compute of null', '$compute=null as N', 'ODATA101', "$compute 'N' has no type"],
    ['$select unknown', '$select=Nope', 'ODATA201', "Property 'Nope' in $select does not exist on Task"],
    [
      '$expand unknown',
      '$expand=Nope',
      'ODATA201',
      "Navigation property 'Nope' in $expand does not exist on Task",
    ],
    [
      '$apply alias twice',
      '$apply=aggregate($count as C,WorkAmount with sum as C)',
      'ODATA101',
      'Alias C is used twice',
    ],
    [
      '$apply sum of a string',
      '$apply=aggregate(Name with sum as S)',
      'ODATA105',
      'sum needs a number, but S aggregates Edm.String',
    ],
    ['$orderby unknown', '$orderby=Nope', 'ODATA201', "Property 'Nope' does not exist on Task"],
  ])('%s', (_name, q, code, message) => {
    expect(failure('Task', q)).toEqual({ status: 400, code, message });
  });

  it('$search on a set without searchable properties', () => {
    expect(failure('TimeEntry', '$search=x')).toMatchObject({ status: 400, code: 'ODATA101' });
  });

  it.each([
    ['has', "$filter=Name has 'x'"],
    ['$levels', '$expand=Notes($levels=2)'],
    ['$search in $expand', '$expand=Notes($search=x)'],
    ['$search with $apply', '$apply=aggregate($count as C)&$search=x'],
    ['$apply of filters only', '$apply=filter(IsDone)'],
  ])('%s is 501', (_name, q) => {
    expect(failure('Task', q).status).toBe(501);
  });
});

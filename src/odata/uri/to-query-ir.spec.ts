import { parseQuery } from './parse-query-options';
import { parseResourcePath } from './parse-resource-path';
import { normalizeKeywords } from './parser-extensions/normalize-keywords';
import { splitTopLevel } from './parser-extensions/split';
import { ODataError } from '../errors/odata-error';

const filter = (text: string) => parseQuery(`$filter=${encodeURIComponent(text)}`).filter;
const member = (...path: string[]) => ({ kind: 'member', path });
const lit = (type: string, value: unknown) => ({ kind: 'literal', type, value });

describe('OData text -> query IR', () => {
  it('comparison with a string literal', () => {
    expect(filter("Name eq 'Sam'")).toEqual({
      kind: 'binary',
      op: 'eq',
      left: member('Name'),
      right: lit('string', 'Sam'),
    });
  });

  it('decodes doubled quotes in string literals', () => {
    expect(filter("Name eq 'it''s'")).toMatchObject({ right: lit('string', "it's") });
  });

  it('keeps non-ASCII text in literals', () => {
    expect(filter("Name eq 'Füße 中文'")).toMatchObject({ right: lit('string', 'Füße 中文') });
  });

  it('guid, datetimeoffset (with offset), null, boolean and number literals', () => {
    expect(filter('ProjectId eq 0b1c0000-0000-4000-8000-000000000000')).toMatchObject({
      right: lit('guid', '0b1c0000-0000-4000-8000-000000000000'),
    });
    expect(filter('EndDateTime lt 2025-01-01T00:00:00+01:00')).toMatchObject({
      right: lit('datetimeoffset', '2025-01-01T00:00:00+01:00'),
    });
    expect(filter('Name eq null')).toMatchObject({ right: lit('null', null) });
    expect(filter('IsDone eq false')).toMatchObject({ right: lit('boolean', false) });
    expect(filter('WorkAmount gt 1.5')).toMatchObject({ right: { kind: 'literal', value: 1.5 } });
    expect(filter('WorkAmount gt -2')).toMatchObject({ right: lit('int', -2) });
  });

  it('and binds tighter than or, both left-associative', () => {
    expect(filter('A eq 1 or B eq 2 and C eq 3')).toMatchObject({
      op: 'or',
      left: { op: 'eq' },
      right: { op: 'and', left: { left: member('B') }, right: { left: member('C') } },
    });
    expect(filter('A eq 1 and B eq 2 or C eq 3')).toMatchObject({
      op: 'or',
      left: { op: 'and' },
      right: { left: member('C') },
    });
  });

  it('arithmetic precedence and left associativity', () => {
    // 10 sub 2 add 3 = (10 sub 2) add 3
    expect(filter('WorkAmount sub 2 add 3 eq 1')).toMatchObject({
      left: {
        op: 'add',
        left: { op: 'sub', left: member('WorkAmount'), right: lit('int', 2) },
        right: lit('int', 3),
      },
    });
    // a add b mul c = a add (b mul c)
    expect(filter('WorkAmount add 2 mul 3 eq 1')).toMatchObject({
      left: { op: 'add', left: member('WorkAmount'), right: { op: 'mul' } },
    });
    // parentheses are kept
    expect(filter('(WorkAmount add 2) mul 3 eq 1')).toMatchObject({
      left: { op: 'mul', left: { op: 'add' } },
    });
    expect(filter('WorkAmount sub (2 add 3) mul 4 eq 1')).toMatchObject({
      left: {
        op: 'sub',
        left: member('WorkAmount'),
        right: { op: 'mul', left: { op: 'add', left: lit('int', 2) }, right: lit('int', 4) },
      },
    });
    // 8 div 2 mul 2 = (8 div 2) mul 2
    expect(filter('WorkAmount div 2 mul 2 eq 1')).toMatchObject({
      left: { op: 'mul', left: { op: 'div', left: member('WorkAmount') }, right: lit('int', 2) },
    });
  });

  it('in with a list, also inside parentheses and under not', () => {
    expect(filter("Name in ('a','b')")).toEqual({
      kind: 'in',
      left: member('Name'),
      list: [lit('string', 'a'), lit('string', 'b')],
    });
    expect(filter("not (Name in ('a')) and IsDone eq true")).toMatchObject({
      op: 'and',
      left: { kind: 'not', operand: { kind: 'in' } },
    });
  });

  it('functions, case-insensitive names and operators', () => {
    expect(filter("Contains(Name,'x') AND year(EndDateTime) EQ 2025")).toMatchObject({
      op: 'and',
      left: { kind: 'call', name: 'contains' },
      right: { op: 'eq', left: { kind: 'call', name: 'year' } },
    });
    expect(filter("matchesPattern(Name,'^T')")).toMatchObject({ kind: 'call', name: 'matchespattern' });
    expect(filter('now() gt EndDateTime')).toMatchObject({ left: { kind: 'call', name: 'now', args: [] } });
  });

  it('navigation paths, lambdas and $count', () => {
    expect(filter("Project/Name eq 'X'")).toMatchObject({ left: member('Project', 'Name') });
    expect(filter("Tags/any(t:t eq 'x')")).toMatchObject({
      kind: 'lambda',
      op: 'any',
      path: ['Tags'],
      variable: 't',
      predicate: { left: { kind: 'member', path: [], scope: 't' } },
    });
    expect(filter("Notes/all(n:n/Note eq 'a')")).toMatchObject({
      kind: 'lambda',
      op: 'all',
      path: ['Notes'],
      predicate: { left: { path: ['Note'], scope: 'n' } },
    });
    expect(filter('Notes/any()')).toMatchObject({ kind: 'lambda', op: 'any', path: ['Notes'] });
    expect(filter('Notes/$count gt 2')).toMatchObject({ left: { kind: 'count', path: ['Notes'] } });
  });

  it('parameter aliases', () => {
    expect(parseQuery("$filter=Name eq @n&@n='x'").filter).toMatchObject({ right: lit('string', 'x') });
    expect(() => parseQuery('$filter=Name eq @missing')).toThrow(ODataError);
  });

  it('system options: case-insensitive, $ optional, validated', () => {
    const q = parseQuery('$TOP=5&skip=2&$OrderBy=Name desc,EndDateTime&$select=Name,TaskItemId&$count=true');
    expect(q).toMatchObject({ top: 5, skip: 2, count: true, select: ['Name', 'TaskItemId'] });
    expect(q.orderby).toEqual([
      { expr: member('Name'), desc: true },
      { expr: member('EndDateTime'), desc: false },
    ]);
    expect(() => parseQuery('$top=-1')).toThrow(/non-negative integer/);
    expect(() => parseQuery('$count=maybe')).toThrow(/true or false/);
    expect(() => parseQuery('$bogus=1')).toThrow(/Unknown system query option/);
    expect(() => parseQuery('$filter=Name eq')).toThrow(ODataError);
  });

  it('$expand with nested options and $ref', () => {
    const q = parseQuery(
      "$expand=Notes($filter=Note eq 'a;b';$top=2;$orderby=CreateDateTime desc;$expand=Task),Status,Followers/$ref",
    );
    expect(q.expand).toHaveLength(3);
    expect(q.expand[0]).toMatchObject({
      path: ['Notes'],
      ref: false,
      options: {
        top: 2,
        filter: { right: lit('string', 'a;b') },
        orderby: [{ desc: true }],
        expand: [{ path: ['Task'] }],
      },
    });
    expect(q.expand[1]).toMatchObject({ path: ['Status'] });
    expect(q.expand[2]).toMatchObject({ path: ['Followers'], ref: true });
  });

  it('$search with implicit AND, OR, NOT and phrases', () => {
    expect(parseQuery('$search=blue task').search).toEqual({
      kind: 'and',
      left: { kind: 'term', text: 'blue', phrase: false },
      right: { kind: 'term', text: 'task', phrase: false },
    });
    expect(parseQuery('$search="red car" OR NOT bike').search).toEqual({
      kind: 'or',
      left: { kind: 'term', text: 'red car', phrase: true },
      right: { kind: 'not', operand: { kind: 'term', text: 'bike', phrase: false } },
    });
  });

  it('unsupported 4.01 options answer 501, not 500', () => {
    expect(() => parseQuery('$apply=topcount(5,WorkAmount)')).toThrow(
      expect.objectContaining({ status: 501 }),
    );
  });
});

describe('resource paths', () => {
  it('both key forms, named keys, navigation and $count', () => {
    const g = 'c146b6ad-3827-4b93-9d94-d82f20703136';
    expect(parseResourcePath(`/Task(${g})/Notes/$count`)).toEqual([
      { name: 'Task', call: true, keys: [{ kind: 'literal', type: 'guid', value: g }] },
      { name: 'Notes' },
      { name: '$count' },
    ]);
    expect(parseResourcePath(`/Task('${g}')`)[0].keys).toEqual([
      { kind: 'literal', type: 'string', value: g },
    ]);
    expect(parseResourcePath(`/Task(TaskItemId=${g})`)[0].named).toEqual({
      TaskItemId: { kind: 'literal', type: 'guid', value: g },
    });
    expect(parseResourcePath('/Task(k)/GetStopwatch()')[1]).toEqual({ name: 'GetStopwatch', call: true });
  });
});

describe('parser extension helpers', () => {
  it('normalizes keywords but never string literals or property names', () => {
    expect(normalizeKeywords("Name EQ 'AND Or' AND Contains(Name,'X')")).toBe(
      "Name eq 'AND Or' and contains(Name,'X')",
    );
    expect(normalizeKeywords('Year eq 2025')).toBe('Year eq 2025');
    expect(normalizeKeywords('ProjectId eq abcdef12-0000-4000-8000-000000000000')).toBe(
      'ProjectId eq abcdef12-0000-4000-8000-000000000000',
    );
  });

  it('splits at top level only', () => {
    expect(splitTopLevel("a($x=1,2;y),b,'c,d'", ',')).toEqual(['a($x=1,2;y)', 'b', "'c,d'"]);
  });
});

describe('string literals with URL-reserved characters', () => {
  it.each(['^T', '50%', 'a#b', 'x[y]', 'q"uote', "a'b", 'tab\there', '{}|\\'])('keeps %p intact', (value) => {
    const literal = `'${value.replace(/'/g, "''")}'`;
    expect(filter(`Name eq ${literal}`)).toMatchObject({ right: { kind: 'literal', type: 'string', value } });
  });

  it('booleans compare with booleans: calls and parenthesised conditions as comparands', () => {
    const t = lit('boolean', true);
    const contains = { kind: 'call', name: 'contains', args: [member('Name'), lit('string', 'a')] };
    expect(filter("contains(Name,'a') eq true")).toEqual({
      kind: 'binary',
      op: 'eq',
      left: contains,
      right: t,
    });
    expect(filter("true eq contains(Name,'a')")).toEqual({
      kind: 'binary',
      op: 'eq',
      left: t,
      right: contains,
    });
    const isDoneFalse = { kind: 'binary', op: 'eq', left: member('IsDone'), right: lit('boolean', false) };
    expect(filter('(IsDone eq false) eq true')).toEqual({
      kind: 'binary',
      op: 'eq',
      left: isDoneFalse,
      right: t,
    });
    expect(filter('IsDone eq (WorkAmount gt 3)')).toMatchObject({ right: { kind: 'binary', op: 'gt' } });
    expect(filter('(WorkAmount add 1) gt 2')).toMatchObject({
      op: 'gt',
      left: { kind: 'binary', op: 'add' },
    });
  });
});

import { appModel } from '../../../test/support/edm-model';
import { bindQuery } from '../bind/bind-query';
import { NO_LIMITS } from '../bind/limits';
import type { EdmModel } from '../model/edm-model';
import { parseQuery } from '../uri/parse-query-options';
import { mayRaise } from './scope-guard';

/** mayRaise over the bound tree: which conditions must be evaluated only on rows in scope. */
let model: EdmModel;
beforeAll(async () => {
  model = (await appModel()).model;
});
const bound = (query: string) =>
  bindQuery({ model, type: model.sets.get('Task')!, query: parseQuery(query), limits: NO_LIMITS });
const filter = (text: string) => bound(`$filter=${encodeURIComponent(text)}`).filter!;

describe('scope guard', () => {
  it.each([
    ["Name eq 'a' and IsDone", false],
    ["contains(Name,'a') eq true", false],
    ["matchesPattern(Name,'^a')", false],
    ['Notes/any(n: n/Task/CustomColor gt 5)', false],
    ['WorkAmount add 1 gt 2', true],
    ['-CustomColor lt 0', true],
    ['matchesPattern(Name,DescriptionHTML)', true],
    ["substring(Name,CardPositionNumber) eq 'a'", true],
    ['Notes/any(n: n/Task/CustomColor mul 2 gt 5)', true],
    ['not (cast(WorkAmount div 2,Edm.Int32) eq 1)', true],
  ])('%s: %s', (text, raises) => {
    expect(mayRaise(filter(text))).toBe(raises);
  });

  it('a $compute alias may raise when its definition may', () => {
    const q = bound('$compute=WorkAmount mul 2 as W2,Name as N&$filter=W2 gt 1 and N eq null');
    const [w2, n] = [(q.filter as any).left, (q.filter as any).right];
    expect(mayRaise(w2)).toBe(true);
    expect(mayRaise(n)).toBe(false);
  });
});

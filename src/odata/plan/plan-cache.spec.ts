import { appModel } from '../../../test/support/edm-model';
import { bindQuery } from '../bind/bind-query';
import { parseQuery } from '../uri/parse-query-options';
import { PlanCache } from './plan-cache';
import { Plan, Planner } from './planner';

const LIMITS = { maxTop: 1000, maxExpandDepth: 3, maxInList: 100, maxFilterNodes: 200 };

describe('plan cache', () => {
  it('keeps at most max shapes, the least recently used leaving first', () => {
    const cache = new PlanCache<number>(2);
    cache.add('a', 1);
    cache.add('b', 2);
    cache.variants('a');
    cache.add('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.variants('b')).toBeUndefined();
    expect(cache.variants('a')).toEqual([1]);
    expect(cache.evictions).toBe(1);
  });

  it('shares a plan between queries that differ in literals only, not otherwise', async () => {
    const { dataSource, model } = await appModel();
    const planner = new Planner(dataSource, new PlanCache<Plan>(100));
    const type = model.sets.get('Task')!;
    const select = (q: string) =>
      planner.select({
        model,
        type,
        query: bindQuery({ model, type, query: parseQuery(q), limits: LIMITS }),
        metadata: 'minimal',
        scopes: [],
        pageSize: 100,
      });
    const a = select("$filter=Name eq 'a'&$top=5");
    const b = select("$filter=Name eq 'b'&$top=7");
    expect(b.name).toBe(a.name);
    expect(b.parameters).toEqual(['b', 8]);
    expect(planner.cache.hits).toBe(1);
    const n = select('$filter=Name eq null&$top=5');
    expect(n.name).not.toBe(a.name);
    const l = select("$filter=Name in ('a','b')");
    const l3 = select("$filter=Name in ('a','b','c')");
    expect(l3.name).not.toBe(l.name);
    const c = select("$filter=contains(Name,'x%25')");
    const d = select("$filter=contains(Name,'y')");
    expect(d.name).toBe(c.name);
    expect(d.parameters[0]).toBe('%y%');
  });
});

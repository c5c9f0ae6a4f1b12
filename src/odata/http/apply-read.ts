import type { EntityManager } from 'typeorm';
import { JSON_CONTENT_TYPE } from '../serialize/json-format';
import { NO_LIMITS } from '../bind/limits';
import { nextOffsetToken } from '../sql/paging';
import { nextLink, pageSizeOf } from './next-link';
import type { ODataCore, RequestContext } from './odata-core';
import type { ODataResponse } from './odata-request';
import type { Target } from './resolve-target';

/**
 * GET Task?$apply=groupby((Status/Name),aggregate(WorkAmount with sum as Total)): rows of group
 * values and aggregates, nested for navigation paths ({"Status":{"Name":…},"Total":…}).
 */
export async function readApply(
  core: ODataCore,
  manager: EntityManager,
  target: Extract<Target, { kind: 'collection' }>,
  { req, query, n }: RequestContext,
): Promise<ODataResponse> {
  const page = pageSizeOf(n.prefer, core.limits.maxPageSize);
  const plan = planApply(core, target, req, query, page.size);
  const rows = await core.run<{ j: string; count?: string }>(manager, plan);
  const skiptoken = nextOffsetToken(plan.page, rows.length);
  const value = rows.slice(0, plan.page.limit).map((r) => {
    const values = JSON.parse(r.j) as unknown[];
    const obj: Record<string, any> = n.metadata === 'none' ? {} : { '@odata.id': null };
    plan.columns.forEach((c, i) => {
      const path = c.split('/');
      let o = obj;
      for (const seg of path.slice(0, -1)) o = o[seg] ??= {};
      o[path[path.length - 1]] = values[i];
    });
    return obj;
  });
  const body: Record<string, unknown> = {};
  if (n.metadata !== 'none')
    body['@odata.context'] = `${req.serviceRoot}/$metadata#${target.type.setName}(${plan.columns
      .map((c) => c.split('/')[0])
      .filter((c, i, a) => a.indexOf(c) === i)
      .join(',')})`;
  if (query.count)
    body['@odata.count'] = Number(
      rows.length ? rows[0].count : (await core.run<{ count: string }>(manager, plan.count))[0].count,
    );
  body.value = value;
  if (skiptoken) body['@odata.nextLink'] = nextLink(req, skiptoken);
  const headers: Record<string, string> = { 'Content-Type': JSON_CONTENT_TYPE(n) };
  if (page.applied) headers['Preference-Applied'] = page.applied;
  return { status: 200, headers, body: JSON.stringify(body) };
}

/** GET Task/$count?$apply=groupby(...): the number of rows the transformations give (groups). */
export async function countApply(
  core: ODataCore,
  manager: EntityManager,
  target: Extract<Target, { kind: 'collection' }>,
  { req, query }: Pick<RequestContext, 'req' | 'query'>,
): Promise<string> {
  const plan = planApply(core, target, req, { ...query, count: true }, 1);
  return String((await core.run<{ count: string }>(manager, plan.count))[0].count);
}

function planApply(
  core: ODataCore,
  target: Extract<Target, { kind: 'collection' }>,
  req: RequestContext['req'],
  query: RequestContext['query'],
  pageSize: number,
) {
  return core.planner.apply({
    model: core.model,
    type: target.type,
    query: core.bind(target.type, query, { ...NO_LIMITS, maxInList: core.limits.maxInList }),
    scopes: target.scopes,
    pageSize,
    scope: core.scope(req),
  });
}

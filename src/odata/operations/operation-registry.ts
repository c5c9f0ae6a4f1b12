import { Injectable, OnModuleInit, Inject } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmModel, EdmOperation } from '../model/edm-model';
import { EDM_MODEL } from '../model/tokens';
import { OperationInvocation, OperationRouter, ODataRequestHandler } from '../http/odata-request-handler';
import type { ODataResponse } from '../http/odata-request';
import type { Expr } from '../query/odata-query';
import { aliasContext, splitQueryString } from '../uri/parse-query-options';
import { parseCommonExpr } from '../uri/parser-extensions/bool-expr';
import { normalizeKeywords } from '../uri/parser-extensions/normalize-keywords';
import { toExpr } from '../uri/to-query-ir';
import { checkValue, parseJsonBody } from '../write/validate-body';
import { ODATA_OPERATION, OperationDeclaration, parseTypeRef } from './operation.decorator';
import type { OperationAccess, OperationContext, OperationResult } from './operation-context';
import type { EdmEntityType } from '../model/edm-model';
import { AliasGenerator } from '../sql/filter-to-sql';
import { SqlParams, ident } from '../sql/sql-params';
import { PG_TYPE } from '../sql/pg-types';
import { checkLinks, checkReferences, referenceContext } from '../write/check-references';

interface Registered {
  op: EdmOperation;
  readsBinding: boolean;
  invoke: (ctx: OperationContext) => Promise<OperationResult>;
}

/**
 * Finds every @ODataAction/@ODataFunction method of the feature providers at boot, adds the
 * operations to the model (so $metadata lists them) and routes calls to them: bound ones
 * unqualified (`Task(<key>)/MoveTaskItem`, as the seed writes them) and namespace-qualified.
 */
@Injectable()
export class OperationRegistry implements OnModuleInit, OperationRouter {
  private readonly byKey = new Map<string, Registered>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(EDM_MODEL) private readonly model: EdmModel,
    private readonly handler: ODataRequestHandler,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const decl = this.reflector.get<OperationDeclaration>(ODATA_OPERATION, proto[method]);
        if (decl) this.register(decl, (ctx) => instance[method](ctx));
      }
    }
    this.handler.operations = this;
  }

  private register(decl: OperationDeclaration, invoke: Registered['invoke']): void {
    const ret = decl.returns ? parseTypeRef(decl.returns) : undefined;
    const op: EdmOperation = {
      name: decl.name,
      kind: decl.kind,
      binding: decl.bindTo
        ? { entitySet: decl.bindTo.entitySet, collection: !!decl.bindTo.collection }
        : null,
      parameters: Object.entries(decl.parameters ?? {}).map(([name, ref]) => ({
        name,
        ...parseTypeRef(ref),
      })),
      returnType: ret,
    };
    if (ret && this.model.types.has(ret.type))
      op.entitySetPath = op.binding ? 'bindingParameter' : this.model.types.get(ret.type)!.setName;
    if (
      op.binding &&
      ret &&
      this.model.types.has(ret.type) &&
      this.model.types.get(ret.type)!.setName !== op.binding.entitySet
    )
      op.entitySetPath = undefined;
    for (const ct of decl.complexTypes ?? []) {
      if (!this.model.complexTypes.some((c) => c.name === ct.name)) this.model.complexTypes.push(ct);
    }
    this.model.operations.push(op);
    const registered = { op, invoke, readsBinding: !!decl.readsBinding };
    this.byKey.set(this.key(op.binding?.entitySet, op.binding?.collection ?? false, op.name), registered);
  }

  private key(set: string | undefined, collection: boolean, name: string): string {
    return `${set ?? ''}|${collection ? 'c' : 'e'}|${name}`;
  }

  async invoke(inv: OperationInvocation): Promise<ODataResponse | undefined> {
    const { target, request } = inv;
    const name = target.name.startsWith(`${this.model.namespace}.`)
      ? target.name.slice(this.model.namespace.length + 1)
      : target.name;
    const bound = target.bound;
    const reg = this.byKey.get(this.key(bound?.type.setName, bound?.kind === 'collection', name));
    if (!reg) return undefined;
    const { op } = reg;
    const method = request.method.toUpperCase();
    if (op.kind === 'action' && method !== 'POST') {
      throw new ODataError(
        405,
        ErrorCode.MethodNotAllowed,
        `${op.name} is an action: call it with POST`,
        op.name,
        undefined,
        { Allow: 'POST' },
      );
    }
    if (op.kind === 'function' && method !== 'GET') {
      throw new ODataError(
        405,
        ErrorCode.MethodNotAllowed,
        `${op.name} is a function: call it with GET`,
        op.name,
        undefined,
        { Allow: 'GET' },
      );
    }
    const params =
      op.kind === 'action'
        ? this.actionParams(op, request.body)
        : this.functionParams(op, target.segment.named ?? {}, request.search);

    const access = this.accessFor(inv);
    let key: Record<string, unknown> | undefined;
    if (bound?.kind === 'entity') {
      if (!bound.key) throw ODataError.badRequest(`${op.name} must be called on an entity addressed by key`);
      // The bound entity must exist and be visible to the caller (404 otherwise); an action
      // changes it, so it needs write rights. Operations take the locks they need themselves,
      // in an order of their choosing (see MoveTaskItem).
      const row = await this.visibleRow(inv, bound.type, bound.key);
      if (!row) throw ODataError.notFound(`${bound.type.setName} not found`);
      if (op.kind === 'action' && !reg.readsBinding) {
        await access.checkWrite(bound.type.setName, 'update', { before: row, after: {} });
      }
      key = Object.fromEntries(bound.type.keys.map((k) => [k.name, bound.key![k.column]]));
    }
    const result = await reg.invoke({
      manager: inv.manager,
      model: this.model,
      request,
      key,
      params,
      access,
    });
    return this.handler.operationResponse(inv, op, result);
  }

  private async visibleRow(
    inv: OperationInvocation,
    type: EdmEntityType,
    key: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined> {
    const params = new SqlParams();
    const aliases = new AliasGenerator();
    const where = type.keys.map(
      (k) => `e0.${ident(k.column)} = ${params.typed(key[k.column], PG_TYPE[k.type])}`,
    );
    const visible =
      inv.request.caller && this.handler.access?.readScope(inv.request.caller)(type, 'e0', params, aliases);
    if (visible) where.push(visible);
    const [sql, values] = inv.manager.connection.driver.escapeQueryWithParameters(
      `SELECT e0.* FROM ${ident(type.table)} e0 WHERE ${where.join(' AND ')}`,
      params.values,
      {},
    );
    return (await inv.manager.query(sql, values))[0];
  }

  private accessFor(inv: OperationInvocation): OperationAccess {
    const caller = inv.request.caller;
    const policy = this.handler.access;
    const refs = () => referenceContext(inv.manager, this.model, policy, caller);
    return {
      requireVisible: async (set, keys) => {
        const type = this.model.sets.get(set)!;
        const unique = [...new Set(keys)];
        const params = new SqlParams();
        const where = [
          `e0.${ident(type.keys[0].column)} = ANY(${params.typed(unique, PG_TYPE[type.keys[0].type] + '[]')})`,
        ];
        const visible = caller && policy?.readScope(caller)(type, 'e0', params, new AliasGenerator());
        if (visible) where.push(visible);
        const [sql, values] = inv.manager.connection.driver.escapeQueryWithParameters(
          `SELECT count(*)::int AS n FROM ${ident(type.table)} e0 WHERE ${where.join(' AND ')}`,
          params.values,
          {},
        );
        const [{ n }] = await inv.manager.query(sql, values);
        if (n !== unique.length)
          throw ODataError.notFound(`Unknown ${set}: ${unique.length - n} of the given keys do not exist`);
      },
      checkWrite: async (set, kind, row) => {
        if (caller && policy)
          await policy.checkWrite(this.model.sets.get(set)!, kind, caller, inv.manager, row);
      },
      checkReferences: (set, changes, names) =>
        checkReferences(refs(), this.model.sets.get(set)!, changes, names),
      checkLinks: (set, nav, row, keys, name) =>
        checkLinks(refs(), this.model.sets.get(set)!, nav, row, keys, name),
    };
  }

  private actionParams(op: EdmOperation, body: string | undefined): Record<string, unknown> {
    const raw = body && body.trim() ? parseJsonBody(body) : {};
    const known = new Set(op.parameters.map((p) => p.name));
    for (const name of Object.keys(raw)) {
      if (!known.has(name) && !name.startsWith('@'))
        throw ODataError.badRequest(`${op.name} has no parameter '${name}'`, name, ErrorCode.UnknownProperty);
    }
    return this.checkParams(op, raw);
  }

  private functionParams(
    op: EdmOperation,
    named: Record<string, Expr | { alias: string }>,
    search: string,
  ): Record<string, unknown> {
    const { aliases } = splitQueryString(search);
    const ctx = aliasContext(aliases);
    const raw: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(named)) {
      if (!op.parameters.some((p) => p.name === name))
        throw ODataError.badRequest(`${op.name} has no parameter '${name}'`, name, ErrorCode.UnknownProperty);
      const expr = 'alias' in value ? ctx.alias(value.alias) : value;
      if (expr.kind !== 'literal')
        throw ODataError.badRequest(`Parameter ${name} must be a literal`, name, ErrorCode.BadLiteral);
      raw[name] = expr.value;
    }
    // Parameters may also be given as query options: DeleteNote(noteRelationId=@id)&@id=...
    for (const p of op.parameters) {
      if (!(p.name in raw) && aliases.has(p.name)) {
        const e = toExpr(parseCommonExpr(normalizeKeywords(aliases.get(p.name)!)), ctx);
        if (e.kind === 'literal') raw[p.name] = e.value;
      }
    }
    return this.checkParams(op, raw);
  }

  private checkParams(op: EdmOperation, raw: Record<string, unknown>): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const p of op.parameters) {
      const value = raw[p.name];
      if (value === undefined || value === null) {
        if (!p.nullable)
          throw ODataError.badRequest(
            `${op.name}: parameter ${p.name} is required`,
            p.name,
            ErrorCode.MissingProperty,
          );
        params[p.name] = null;
        continue;
      }
      if (!p.type.startsWith('Edm.')) {
        params[p.name] = value; // entity or complex values: the operation validates them
        continue;
      }
      const check = (v: unknown) => {
        const r = checkValue(p.type as any, v);
        if (!r.ok)
          throw ODataError.badRequest(
            `${op.name}: parameter ${p.name}: ${r.message}`,
            p.name,
            ErrorCode.BadType,
          );
        return r.value;
      };
      if (p.collection) {
        if (!Array.isArray(value))
          throw ODataError.badRequest(
            `${op.name}: parameter ${p.name} must be an array`,
            p.name,
            ErrorCode.BadType,
          );
        params[p.name] = value.map(check);
      } else params[p.name] = check(value);
    }
    return params;
  }
}

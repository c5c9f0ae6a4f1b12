import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AccessPolicy } from '../access/access-policy';
import { compat } from '../compat';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { EdmModel, EdmOperation } from '../model/edm-model';
import { ACCESS_POLICY, EDM_MODEL } from '../model/tokens';
import type { ODataRequest } from '../http/odata-request';
import type { Target } from '../http/resolve-target';
import type { Expr } from '../query/odata-query';
import { countVisible, selectVisibleRows } from '../sql/entity-rows';
import { keyScope } from '../sql/row-scopes';
import type { ParsedRequest } from '../uri/parse-request';
import { aliasContext } from '../uri/parse-query-options';
import { parseCommonExpr } from '../uri/parser-extensions/bool-expr';
import { normalizeKeywords } from '../uri/parser-extensions/normalize-keywords';
import { toExpr } from '../uri/to-query-ir';
import { checkValue, parseJsonBody } from '../write/validate-body';
import { checkLinks, checkReferences, referenceContext } from '../write/check-references';
import { discoverOperations } from './discover-operations';
import type { OperationAccess, OperationContext, OperationResult } from './operation-context';

interface Registered {
  op: EdmOperation;
  readsBinding: boolean;
  invoke: (ctx: OperationContext) => Promise<OperationResult>;
}

/** One call: the request as the router has parsed and negotiated it, in its transaction. */
export interface OperationInvocation {
  req: ODataRequest;
  parsed: ParsedRequest;
  target: Extract<Target, { kind: 'operation' }>;
  manager: EntityManager;
}

/**
 * Routes calls to the @ODataAction/@ODataFunction methods of the feature providers. The model
 * already lists the operations (discover-operations.ts, while the model was built); this binds
 * each to its provider's instance at boot. Bound operations are called namespace-qualified
 * (`Task(<key>)/Tasks.MoveTaskItem`), or as compat/ allows.
 */
@Injectable()
export class OperationRegistry implements OnModuleInit {
  private readonly byKey = new Map<string, Registered>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(EDM_MODEL) private readonly model: EdmModel,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  onModuleInit(): void {
    const instances = new Map<
      Function,
      Record<string, (ctx: OperationContext) => Promise<OperationResult>>
    >();
    for (const { metatype, instance } of this.discovery.getProviders()) {
      if (metatype && instance && typeof instance === 'object' && !instances.has(metatype))
        instances.set(metatype, instance);
    }
    for (const { decl, provider, method } of discoverOperations(
      this.discovery,
      this.scanner,
      this.reflector,
    )) {
      const instance = instances.get(provider);
      const set = decl.bindTo?.entitySet;
      const collection = !!decl.bindTo?.collection;
      const op = this.model.operations.find(
        (o) => o.name === decl.name && o.binding?.entitySet === set && !!o.binding?.collection === collection,
      );
      if (!instance || !op) continue;
      const registered = {
        op,
        invoke: (ctx: OperationContext) => instance[method](ctx),
        readsBinding: !!decl.readsBinding,
      };
      this.byKey.set(this.key(set, collection, op.name), registered);
    }
  }

  private key(set: string | undefined, collection: boolean, name: string): string {
    return `${set ?? ''}|${collection ? 'c' : 'e'}|${name}`;
  }

  /** Calls the operation the target names; undefined when there is none of that name. */
  async invoke(inv: OperationInvocation): Promise<{ op: EdmOperation; result: OperationResult } | undefined> {
    const { target, req: request } = inv;
    const bound = target.bound;
    const name = compat.operationName(target.name, this.model.namespace, !!bound);
    const reg = name && this.byKey.get(this.key(bound?.type.setName, bound?.kind === 'collection', name));
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
        : this.functionParams(op, target.segment.named ?? {}, inv.parsed.options().aliases);

    const access = this.accessFor(inv);
    let key: Record<string, unknown> | undefined;
    if (bound?.kind === 'entity') {
      if (!bound.key) throw ODataError.badRequest(`${op.name} must be called on an entity addressed by key`);
      // The bound entity must exist and be visible to the caller (404 otherwise); an action
      // changes it, so it needs write rights. Operations take the locks they need themselves,
      // in an order of their choosing (see MoveTaskItem).
      const [row] = await selectVisibleRows(
        inv.manager,
        bound.type,
        [keyScope(bound.type, bound.key)],
        this.scope(inv),
      );
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
    return { op, result };
  }

  private scope(inv: OperationInvocation) {
    return inv.req.caller && this.policy.readScope(inv.req.caller);
  }

  private accessFor(inv: OperationInvocation): OperationAccess {
    const caller = inv.req.caller;
    const policy = this.policy;
    const refs = () => referenceContext(inv.manager, this.model, policy, caller);
    return {
      requireVisible: async (set, keys) => {
        const unique = [...new Set(keys)];
        const n = await countVisible(inv.manager, this.model.sets.get(set)!, unique, this.scope(inv));
        if (n !== unique.length)
          throw ODataError.notFound(`Unknown ${set}: ${unique.length - n} of the given keys do not exist`);
      },
      checkWrite: async (set, kind, row) => {
        if (caller) await policy.checkWrite(this.model.sets.get(set)!, kind, caller, inv.manager, row);
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
    aliases: Map<string, string>,
  ): Record<string, unknown> {
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

import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EdmComplexType, EdmModel, EdmOperation } from '../model/edm-model';
import { ODATA_OPERATION, OperationDeclaration, parseTypeRef } from './operation.decorator';

/** One @ODataAction/@ODataFunction method of a provider class. */
export interface DeclaredOperation {
  decl: OperationDeclaration;
  /** The provider's class (its instance is looked up when calls are routed). */
  provider: Function;
  method: string;
}

/**
 * Every @ODataAction/@ODataFunction method of the application's providers, read from their
 * classes: this runs while the EDM model is built, before any provider is instantiated, so that
 * the model is complete (operations included) before the first request and never changes after.
 */
export function discoverOperations(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): DeclaredOperation[] {
  const found: DeclaredOperation[] = [];
  const seen = new Set<Function>();
  for (const wrapper of discovery.getProviders()) {
    const provider = wrapper.metatype;
    if (!provider || !provider.prototype || seen.has(provider)) continue;
    seen.add(provider);
    for (const method of scanner.getAllMethodNames(provider.prototype)) {
      const decl = reflector.get<OperationDeclaration>(ODATA_OPERATION, provider.prototype[method]);
      if (decl) found.push({ decl, provider, method });
    }
  }
  return found;
}

/** The model with these operations and the complex types they introduce. */
export function withOperations(model: EdmModel, declared: DeclaredOperation[]): EdmModel {
  const complexTypes: EdmComplexType[] = [...model.complexTypes];
  const operations = declared.map(({ decl }) => {
    for (const ct of decl.complexTypes ?? []) {
      if (!complexTypes.some((c) => c.name === ct.name)) complexTypes.push(ct);
    }
    return toEdmOperation(model, decl);
  });
  return { ...model, complexTypes, operations: [...model.operations, ...operations] };
}

function toEdmOperation(model: EdmModel, decl: OperationDeclaration): EdmOperation {
  const ret = decl.returns ? parseTypeRef(decl.returns) : undefined;
  const op: EdmOperation = {
    name: decl.name,
    kind: decl.kind,
    binding: decl.bindTo ? { entitySet: decl.bindTo.entitySet, collection: !!decl.bindTo.collection } : null,
    parameters: Object.entries(decl.parameters ?? {}).map(([name, ref]) => ({ name, ...parseTypeRef(ref) })),
    returnType: ret,
  };
  const returned = ret && model.types.get(ret.type);
  if (returned) op.entitySetPath = op.binding ? 'bindingParameter' : returned.setName;
  // A bound operation returning entities of another set: their set is not the binding's.
  if (op.binding && returned && returned.setName !== op.binding.entitySet) op.entitySetPath = undefined;
  return op;
}

import { ErrorCode, ODataError } from '../errors/odata-error';
import type { Target } from './resolve-target';

const READ = ['GET', 'HEAD'];

/**
 * The methods a resource supports, for 405 answers and their Allow header (RFC 9110 §15.5.6).
 * Operations check their own (a function is GET, an action POST).
 */
export function allowedMethods(target: Target | 'service' | 'metadata'): string[] {
  if (target === 'service' || target === 'metadata') return READ;
  switch (target.kind) {
    case 'collection': {
      const via = target.via;
      // POST Task(<key>)/Notes sets the note's foreign key; a link table (Documents, Followers)
      // is changed through the task's actions instead.
      const insertable =
        !target.type.readOnly &&
        (!via || (via.parent.key !== undefined && via.nav.join.kind === 'foreignKey'));
      return insertable ? [...READ, 'POST'] : READ;
    }
    case 'entity':
      return !target.type.readOnly && target.key ? [...READ, 'PATCH', 'PUT', 'DELETE'] : READ;
    default:
      return READ;
  }
}

/** 405 with Allow when `method` is not one of the resource's methods. */
export function checkMethod(method: string, target: Target | 'service' | 'metadata', what: string): void {
  const allowed = allowedMethods(target);
  const m = method === 'MERGE' ? 'PATCH' : method;
  if (allowed.includes(m)) return;
  const readOnly = typeof target === 'object' && 'type' in target && target.type.readOnly;
  throw new ODataError(
    405,
    readOnly ? ErrorCode.ReadOnly : ErrorCode.MethodNotAllowed,
    `${method} is not allowed on ${what}${readOnly ? ' (read-only)' : ''}; allowed: ${allowed.join(', ')}`,
    undefined,
    undefined,
    { Allow: allowed.join(', ') },
  );
}

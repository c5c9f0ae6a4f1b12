import type { OperationContext } from '../../odata/operations/operation-context';

/** The well-known contact that stands for "the service itself" (created by the first migration). */
export const SYSTEM_CONTACT_ID = '00000000-0000-0000-0000-000000000000';

/** The calling contact; the system contact until a request is authenticated. */
export function callerContactId(ctx: Pick<OperationContext, 'request'>): string {
  return ctx.request.caller?.contactId ?? SYSTEM_CONTACT_ID;
}

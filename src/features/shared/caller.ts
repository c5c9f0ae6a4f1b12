import type { Caller } from '../../odata/access/access-policy';
import type { OperationContext } from '../../odata/operations/operation-context';

/** The well-known contact that stands for "the service itself" (created by the first migration). */
export const SYSTEM_CONTACT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * A caller of this service: a contact, perhaps a service administrator. The core sees only a
 * `Caller` (its id is the contact's); the authenticator makes these and the policy reads them.
 */
export interface ContactCaller extends Caller {
  readonly contactId: string;
  readonly isAdmin: boolean;
}

export function contactCaller(contactId: string, isAdmin: boolean): ContactCaller {
  return { id: contactId, contactId, isAdmin };
}

/** The request's caller as this service made it (the Authenticator is the only source of callers). */
export function asContactCaller(caller: Caller | undefined): ContactCaller | undefined {
  return caller as ContactCaller | undefined;
}

/** The calling contact; the system contact until a request is authenticated. */
export function callerContactId(ctx: Pick<OperationContext, 'request'>): string {
  return asContactCaller(ctx.request.caller)?.contactId ?? SYSTEM_CONTACT_ID;
}

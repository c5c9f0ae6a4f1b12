/** Injection tokens of the protocol core. */
export const EDM_MODEL = Symbol('EDM_MODEL');
export const ODATA_LIMITS = Symbol('ODATA_LIMITS');
/** The AccessPolicy (access/access-policy.ts): must be provided, the core does not boot without one. */
export const ACCESS_POLICY = Symbol('ACCESS_POLICY');

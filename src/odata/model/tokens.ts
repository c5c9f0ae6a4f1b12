/** Injection tokens of the protocol core. */
export const EDM_MODEL = Symbol('EDM_MODEL');
export const ODATA_LIMITS = Symbol('ODATA_LIMITS');

import { ErrorCode, ODataError } from './odata-error';

/** A PostgreSQL error as node-postgres reports it. */
interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  constraint?: string;
  column?: string;
}

/** Constraint name -> OData property, for messages that name what the client sent. */
export type ConstraintTargets = (constraint: string) => string | undefined;

/**
 * SQLSTATE -> ODataError. Anything not listed is not the client's fault and stays a 500
 * (logged by the exception filter).
 */
/** The database cannot be reached or the pool is exhausted: not the client's fault, but temporary. */
const UNAVAILABLE =
  /timeout exceeded when trying to connect|Connection terminated|connection error|terminating connection|not queryable|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down)|already released/i;
/** TypeORM's errors for a connection that went away under a running request. */
const CONNECTION_GONE = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
]);

/**
 * What a data exception (SQLSTATE class 22) was, in our words: PostgreSQL's own messages quote
 * the offending value, which may be a stored value the caller cannot read. No message or detail
 * of PostgreSQL's reaches a client.
 */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22P02': 'invalid text representation',
  '22007': 'invalid date or time format',
  '22008': 'date or time out of range',
  '22003': 'number out of range',
  '22023': 'invalid parameter value',
  '2201B': 'invalid regular expression',
  '22025': 'invalid escape sequence',
};

export function fromPostgresError(err: unknown, targetOf?: ConstraintTargets): ODataError | undefined {
  const e = err as PgError;
  const state = e?.code;
  const name = (err as { name?: string })?.name ?? '';
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(String(state)) ||
    CONNECTION_GONE.has(name) ||
    (typeof e?.message === 'string' && UNAVAILABLE.test(e.message))
  ) {
    return new ODataError(
      503,
      ErrorCode.ServiceUnavailable,
      'The database is busy or not available right now; retry shortly',
      undefined,
      undefined,
      { 'Retry-After': '2' },
    );
  }
  if (typeof state !== 'string' || state.length !== 5) return undefined;
  const target = e.constraint ? targetOf?.(e.constraint) : undefined;
  switch (state) {
    case '23505':
      return new ODataError(
        409,
        ErrorCode.Conflict,
        `An entity with the same ${target ?? 'key'} already exists`,
        target,
      );
    case '23001': // restrict_violation: a row others still reference
      return new ODataError(
        409,
        ErrorCode.Conflict,
        'The entity is still referenced by other entities',
        target,
      );
    case '23503':
      // Insert/update pointing at a missing row is the client's bad reference (400);
      // deleting a row that others still reference is a conflict (409).
      if (/is still referenced/.test(e.detail ?? '')) {
        return new ODataError(
          409,
          ErrorCode.Conflict,
          'The entity is still referenced by other entities',
          target,
        );
      }
      // Names neither the table nor the key: a reference the caller cannot see reads as missing.
      return new ODataError(
        400,
        ErrorCode.BadForeignKey,
        `${target ?? 'A reference'} does not point at an existing entity`,
        target,
      );
    case '23502':
      return new ODataError(
        400,
        ErrorCode.MissingProperty,
        `${e.column ?? 'A property'} must not be null`,
        e.column,
      );
    case '23514':
      return new ODataError(
        400,
        ErrorCode.BadType,
        `A value is not allowed${e.constraint ? ` (${e.constraint})` : ''}`,
        target,
      );
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22023':
    case '2201B':
    case '22025':
      return new ODataError(
        400,
        ErrorCode.BadLiteral,
        `A value in the request is out of range or not of the expected type (${DATA_EXCEPTIONS[state]})`,
      );
    // The expression's operand types do not fit each other (e.g. a function on the wrong type).
    case '42883':
    case '42804':
    case '42846':
    case '42725':
      return new ODataError(400, ErrorCode.BadType, 'The types in the expression do not fit together');
    case '2201X':
    case '2201W':
      return new ODataError(400, ErrorCode.BadLiteral, 'Invalid $top or $skip value');
    case '22012':
      return new ODataError(400, ErrorCode.BadLiteral, 'Division by zero');
    case '57014':
      return new ODataError(
        503,
        ErrorCode.Timeout,
        'The query ran longer than the per-request limit (STATEMENT_TIMEOUT_MS) and was cancelled in PostgreSQL',
        undefined,
        undefined,
        { 'Retry-After': '5' },
      );
    case '40001':
    case '40P01':
      return new ODataError(
        409,
        ErrorCode.Conflict,
        'The change conflicted with a concurrent change; retry it',
      );
    case '53300':
    case '57P01':
    case '57P02':
    case '57P03':
    case '08000':
    case '08003':
    case '08006':
      return new ODataError(
        503,
        ErrorCode.ServiceUnavailable,
        'The database is not available right now',
        undefined,
        undefined,
        { 'Retry-After': '5' },
      );
    default:
      return undefined;
  }
}

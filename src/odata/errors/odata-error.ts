/**
 * Every error the protocol core raises. Codes are grouped by layer so they are easy to grep:
 *   ODATA1xx  request syntax (URL, query options, body)
 *   ODATA2xx  model (unknown set, property, operation; read-only)
 *   ODATA3xx  data (missing entity, conflicts, preconditions)
 *   ODATA5xx  service (database unavailable, timeouts, not implemented)
 */
export const ErrorCode = {
  BadRequest: 'ODATA100',
  BadQueryOption: 'ODATA101',
  BadLiteral: 'ODATA102',
  BadKey: 'ODATA103',
  BadBody: 'ODATA104',
  BadType: 'ODATA105',
  MissingProperty: 'ODATA106',
  LimitExceeded: 'ODATA107',
  BadForeignKey: 'ODATA108',
  UnsupportedMediaType: 'ODATA110',
  NotAcceptable: 'ODATA111',
  PayloadTooLarge: 'ODATA112',
  Unauthorized: 'ODATA120',
  Forbidden: 'ODATA121',
  TooManyRequests: 'ODATA122',
  UnknownResource: 'ODATA200',
  UnknownProperty: 'ODATA201',
  ReadOnly: 'ODATA202',
  MethodNotAllowed: 'ODATA203',
  NotFound: 'ODATA300',
  Conflict: 'ODATA301',
  PreconditionFailed: 'ODATA302',
  PreconditionRequired: 'ODATA303',
  Gone: 'ODATA304',
  NotImplemented: 'ODATA501',
  ServiceUnavailable: 'ODATA503',
  Timeout: 'ODATA504',
  Internal: 'ODATA500',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ODataErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly target?: string,
    readonly details?: ODataErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.target ? { target: this.target } : {}),
        ...(this.details?.length ? { details: this.details } : {}),
      },
    };
  }

  static badRequest(message: string, target?: string, code: ErrorCode = ErrorCode.BadRequest) {
    return new ODataError(400, code, message, target);
  }
  static notFound(message: string) {
    return new ODataError(404, ErrorCode.NotFound, message);
  }
  static notImplemented(message: string) {
    return new ODataError(501, ErrorCode.NotImplemented, message);
  }
}

/**
 * A stack overflow is input nested deeper than the checks before parsing foresaw (or limits
 * raised too far): the client's doing, so a 400 without internals, never a 500.
 */
export function fromStackOverflow(e: unknown): ODataError | undefined {
  if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) return undefined;
  return ODataError.badRequest(
    'The request is nested too deeply to be processed',
    undefined,
    ErrorCode.LimitExceeded,
  );
}

import type { ODataError } from '../errors/odata-error';
import type { ODataResponse } from './odata-request';

/**
 * The one OData error answer: `{"error":{"code","message","target"?,"details"?}}` as JSON, the
 * error's own headers (Allow, Retry-After, WWW-Authenticate …) and OData-Version. Used by the
 * handler, the Fastify binding (before and around the handler) and $batch parts.
 */
export function errorResponse(error: ODataError, version = '4.0'): ODataResponse & { body: string } {
  return {
    status: error.status,
    headers: {
      'Content-Type': 'application/json;charset=utf-8',
      'OData-Version': version,
      ...(error.headers ?? {}),
    },
    body: JSON.stringify(error.toJSON()),
  };
}

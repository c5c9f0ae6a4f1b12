import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode, ODataError, fromStackOverflow } from '../errors/odata-error';
import { errorResponse } from './error-response';

const logger = new Logger('OData');

/** Sends an OData error body with its status and headers. */
export function answerError(reply: FastifyReply, e: ODataError) {
  const response = errorResponse(e);
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/** Errors raised before the core runs (body too large, bad content length) and bugs, as OData errors. */
export function setODataErrorHandler(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.setErrorHandler((error: any, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    const overflow = fromStackOverflow(error);
    const odata =
      error instanceof ODataError
        ? error
        : overflow
          ? overflow
          : status === 413
            ? new ODataError(413, ErrorCode.PayloadTooLarge, `The request body exceeds ${bodyLimit} bytes`)
            : status < 500
              ? new ODataError(status, ErrorCode.BadRequest, error.message)
              : new ODataError(500, ErrorCode.Internal, 'An internal error occurred; it has been logged');
    if (odata.status >= 500)
      logger.error(`${request.method} ${request.url} failed: ${error?.stack ?? error}`);
    answerError(reply, odata);
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, ODataError } from '../errors/odata-error';
import type { ParsedRequest } from '../uri/parse-request';
import { AdmissionAbandoned, Release } from './admission';
import type { ODataRequestHandler } from './odata-request-handler';
import { RequestObservation, resourceOf } from './request-observation';

/**
 * A slot of the admission gate (admission.ts), taken before anything touches the database
 * (the token look-up included). Undefined: the request was answered here (503), or its client
 * left while it waited.
 */
export async function admit(
  handler: ODataRequestHandler,
  request: FastifyRequest,
  reply: FastifyReply,
  r: { path: string; search: string; parsed: ParsedRequest; started: number },
  answerError: (reply: FastifyReply, e: ODataError) => unknown,
  observe?: (o: RequestObservation) => void,
): Promise<Release | undefined> {
  const gate = handler.admission;
  if (!gate) return () => undefined;
  const lane = handler.laneOf({
    method: request.method,
    path: r.path,
    search: r.search,
    parsed: r.parsed,
    headers: request.headers as Record<string, string | undefined>,
  });
  // The response closing before it was sent: the client is gone, stop waiting for it.
  const left = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) left.abort();
  };
  reply.raw.once('close', onClose);
  try {
    return await gate.acquire(lane, left.signal);
  } catch (e) {
    // Nobody reads this answer; it is sent only so that Fastify finishes the request.
    if (e instanceof AdmissionAbandoned) {
      await answerError(
        reply,
        new ODataError(
          503,
          ErrorCode.ServiceUnavailable,
          'The client left while its request waited for a database connection',
        ),
      );
      return undefined;
    }
    if (!(e instanceof ODataError)) throw e;
    observe?.({
      resource: resourceOf(r.path),
      method: request.method,
      status: e.status,
      seconds: (performance.now() - r.started) / 1000,
    });
    await answerError(reply, e);
    return undefined;
  } finally {
    reply.raw.off('close', onClose);
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A `HEAD` on a Server-Sent Events route (Fastify answers HEAD with the GET handler): the headers
 * a stream would start with, and the end, without opening a stream or taking a stream slot. The
 * request has been checked like a GET, so a HEAD learns the same 400 or 404. True if answered.
 */
export function answeredHeadOfStream(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== 'HEAD') return false;
  void reply
    .status(200)
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send();
  return true;
}

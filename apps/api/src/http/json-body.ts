import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';

/**
 * The only request body the API takes: JSON in UTF-8. Fastify's own JSON parser decodes invalid
 * UTF-8 into U+FFFD, so a report would be stored with other text than was sent; here such a body
 * is refused (400), and so are `__proto__` and `constructor.prototype` keys (Fastify's secure
 * parser). Any other content type (text/plain, forms, ...) gets 415. Bodies over BODY_LIMIT_BYTES
 * get 413 before they are read in full. An empty body is no body (endpoints that need one say so).
 */
export function acceptOnlyJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    // `POST /v1/replays/{id}/pause` and the like take no body, but clients often label the empty one as JSON
    if (bytes.length === 0) {
      done(null, undefined);
      return;
    }
    if (!isUtf8(bytes)) {
      done(
        Object.assign(new Error('The body is not valid UTF-8'), { statusCode: 400, code: 'INVALID_UTF8' }),
        undefined,
      );
      return;
    }
    // the default parser in its callback form: it answers through `done` and returns nothing
    void parseJson(request, bytes.toString('utf8'), done);
  });
}

import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Security headers (helmet) on every answer. The dashboard loads only same-origin scripts and
 * styles and sets no inline script or style, so its policy allows nothing else; the API answers
 * JSON under the same policy. There is no `upgrade-insecure-requests`: the service is often
 * reached over plain HTTP (localhost, behind a TLS-terminating proxy), where it would break the
 * page's own requests.
 */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
};

/** Where the OpenAPI page lives; Swagger UI's page carries inline <style> blocks. */
export const DOCS_PREFIX = '/docs';

/** The same policy with inline styles allowed, for the Swagger UI pages under /docs only. */
export const DOCS_SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      ...(SECURITY_HEADERS.contentSecurityPolicy as { directives: Record<string, string[]> }).directives,
      styleSrc: ["'self'", "'unsafe-inline'"],
    },
  },
};

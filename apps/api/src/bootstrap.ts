import { join } from 'node:path';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { createRootLogger, NestPinoLogger, requestForLog } from './logging/logger';
import { trustProxyOption, validateEnvironment } from './config/environment';
import { acceptOnlyJsonBodies } from './http/json-body';
import { createOpenApiDocument, declaredQueryParameters } from './openapi/openapi-document';
import { API_VERSION } from './openapi/api-version';
import { KnownQueryParameters } from './openapi/known-query-parameters.interceptor';
import { ProblemDetailsFilter } from './http/problem-details';
import { DOCS_PREFIX, DOCS_SECURITY_HEADERS, SECURITY_HEADERS } from './http/security-headers';

export interface RunningApi {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly logger: Logger;
}

/**
 * Builds and starts the API. `main.ts` calls it with the process environment; e2e tests call it
 * with their own (a temporary store, port 0), so both run the same wiring.
 */
export interface StartOptions {
  /** Runs on the Fastify instance just before it listens (tests add their conformance check here). */
  readonly beforeListen?: (fastify: FastifyInstance) => void;
}

export async function startApi(
  env: Record<string, string | undefined> = process.env,
  options: StartOptions = {},
): Promise<RunningApi> {
  const config = validateEnvironment(env);
  const logger = createRootLogger(config.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({
      loggerInstance: logger.child({ context: 'http' }, { serializers: { req: requestForLog } }),
      bodyLimit: config.BODY_LIMIT_BYTES,
      // request.ip, which per-client limits count by, is the client's only behind a trusted proxy
      trustProxy: trustProxyOption(config.TRUST_PROXY),
    }),
    // the body parsers are ours (acceptOnlyJsonBodies), not Nest's JSON and form defaults
    { logger: new NestPinoLogger(logger), bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  acceptOnlyJsonBodies(fastify);
  // Swagger UI needs inline styles: its routes (added below) get a policy of their own
  fastify.addHook('onRoute', (route) => {
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`))
      route.config = { ...route.config, helmet: DOCS_SECURITY_HEADERS };
  });
  await app.register(helmet, SECURITY_HEADERS);
  // every answer says which version of the contract it follows (CHANGELOG.md)
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.header('api-version', API_VERSION);
    done();
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  // the contract: served at /docs and /docs-json, and the list of query parameters each endpoint takes
  const openApi = createOpenApiDocument(app);
  app.useGlobalInterceptors(new KnownQueryParameters(declaredQueryParameters(openApi)));
  SwaggerModule.setup('docs', app, openApi, { jsonDocumentUrl: 'docs-json' });
  // The dashboard: static files beside `src` (apps/api/public from source, dist/apps/api/public
  // from the build). `wildcard: false` routes only the files present at start (`/`, `/app.js`,
  // ...), so no catch-all route can shadow /v1, /docs or /health, and unknown paths still get
  // the problem-details 404.
  app.useStaticAssets({ root: join(__dirname, '..', 'public'), prefix: '/', wildcard: false, dotfiles: 'ignore' });
  // exit (code 0) rather than re-raise the signal, so pino flushes its buffered lines on the way out
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  options.beforeListen?.(fastify);
  await app.listen(config.PORT, config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.info({ context: 'bootstrap', url, port, eventStore: config.EVENT_STORE }, 'squad planner listening');
  return { app, url, logger };
}

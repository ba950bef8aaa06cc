import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { createRootLogger, NestPinoLogger } from './logging/logger';
import { validateEnvironment } from './config/environment';
import { ProblemDetailsFilter } from './http/problem-details';

export interface RunningApi {
  readonly app: NestFastifyApplication;
  readonly url: string;
  readonly logger: Logger;
}

/**
 * Builds and starts the API. `main.ts` calls it with the process environment; e2e tests call it
 * with their own (a temporary store, port 0), so both run the same wiring.
 */
export async function startApi(env: Record<string, string | undefined> = process.env): Promise<RunningApi> {
  const config = validateEnvironment(env);
  const logger = createRootLogger(config.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ loggerInstance: logger.child({ context: 'http' }), bodyLimit: config.BODY_LIMIT_BYTES }),
    { logger: new NestPinoLogger(logger) },
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  const openApi = new DocumentBuilder()
    .setTitle('Squad Planner')
    .setDescription('Transfer-news reports in, squad depth, targets and outgoing candidates out, in two clocks.')
    .setVersion('1')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  // exit (code 0) rather than re-raise the signal, so pino flushes its buffered lines on the way out
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.PORT, config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.info({ context: 'bootstrap', url, port, eventStore: config.EVENT_STORE }, 'squad planner listening');
  return { app, url, logger };
}

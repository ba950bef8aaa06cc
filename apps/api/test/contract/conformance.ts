import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import DOCUMENT from '../../../../libs/client/openapi.json';
import { operationKeyOf } from '../../src/openapi/known-query-parameters.interceptor';

/**
 * Conformance to the OpenAPI document: every answer a test server sends (status, content type,
 * body) and every Server-Sent Events message a test receives is validated against the document
 * the client is generated from (which a test keeps equal to what the service serves). A
 * violation fails the suite that met it; `npm test` prints how many were validated.
 */

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** What the SSE message of each event carries. */
const SSE_MESSAGE_SCHEMAS: Record<string, string> = {
  ready: 'LiveReadyMessage',
  snapshot: 'LiveUpdateMessage',
  reset: 'LiveResetMessage',
  update: 'LiveUpdateMessage',
  deleted: 'BranchDeletedMessage',
  day: 'ReplayDayMessage',
  end: 'ReplayEndMessage',
};

/** The document's schemas as JSON Schema for Ajv: OpenAPI 3.0's boolean `exclusiveMinimum`, and no discriminator (the `type` enums already tell the claims apart). */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'discriminator' || key === 'example' || key === 'examples') continue;
    out[key] = forAjv(value);
  }
  if (out.exclusiveMinimum === true && typeof out.minimum === 'number') {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  return out;
}

/** A response object of the document, or the shared one (`components.responses`) it references. */
export function resolveResponse(document: Json, response: Json): Json {
  const ref = response.$ref as string | undefined;
  if (ref === undefined) return response;
  const resolved = ((document.components as Json).responses as Json | undefined)?.[
    ref.replace('#/components/responses/', '')
  ] as Json | undefined;
  if (!resolved) throw new Error(`the document references ${ref}, which it does not define`);
  return resolved;
}

class ContractChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  /** `GET /v1/clubs/{club}/squad-depth` → its responses. */
  private readonly operations = new Map<string, Record<string, { content?: Record<string, { schema?: unknown }> }>>();
  validated = 0;
  readonly violations: string[] = [];

  constructor(document: Json) {
    addFormats(this.ajv);
    const components = forAjv((document.components as Json).schemas) as Json;
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: components } });
    for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
      for (const method of METHODS) {
        const operation = item[method] as { responses: Record<string, Json> } | undefined;
        if (!operation) continue;
        const responses = Object.entries(operation.responses).map(([status, response]) => [
          status,
          resolveResponse(document, response),
        ]);
        this.operations.set(`${method.toUpperCase()} ${path}`, Object.fromEntries(responses));
      }
    }
  }

  private validator(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      const resolved = JSON.parse(key.replaceAll('"#/components/', '"openapi#/components/')) as object;
      this.validators.set(key, (validate = this.ajv.compile(forAjv(resolved) as object)));
    }
    return validate;
  }

  /** Checks one answer; `route` is Fastify's (`/v1/clubs/:club/squad-depth`). */
  checkResponse(method: string, route: string, status: number, contentType: string, body: string): void {
    const key = operationKeyOf(method, route);
    const responses = this.operations.get(key);
    if (!responses) return; // not an API operation: the dashboard's files, /docs
    this.validated++;
    const declared = responses[String(status)];
    if (!declared) {
      this.violations.push(`${key} answered ${status}, which the document does not declare: ${body.slice(0, 300)}`);
      return;
    }
    if (!declared.content) {
      if (body.length > 0) this.violations.push(`${key} ${status} has a body the document does not declare`);
      return;
    }
    const mediaType = contentType.split(';')[0].trim();
    const media = declared.content[mediaType];
    if (!media) {
      this.violations.push(
        `${key} ${status} answered ${mediaType}; declared: ${Object.keys(declared.content).join(', ')}`,
      );
      return;
    }
    if (method === 'HEAD' || mediaType === 'text/event-stream') return;
    this.checkValue(`${key} ${status}`, media.schema, JSON.parse(body));
  }

  /** Checks the data of an SSE message against the schema of its event. */
  checkMessage(event: string, data: string): void {
    const schema = SSE_MESSAGE_SCHEMAS[event];
    if (!schema) {
      this.violations.push(`an SSE message of an undocumented event "${event}"`);
      return;
    }
    this.validated++;
    this.checkValue(`SSE ${event}`, { $ref: `#/components/schemas/${schema}` }, JSON.parse(data));
  }

  private checkValue(where: string, schema: unknown, value: unknown): void {
    const validate = this.validator(schema);
    if (!validate(value)) {
      const errors = (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
      this.violations.push(`${where}: ${errors.join('; ')} in ${JSON.stringify(value).slice(0, 300)}`);
    }
  }
}

export const contract = new ContractChecker(DOCUMENT);

/** Validates every answer the server sends (added before it listens: see `startTestApi`). */
export function checkAnswersOf(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload === 'string' || payload === null || payload === undefined) {
      contract.checkResponse(
        request.method,
        request.routeOptions.url ?? request.url,
        reply.statusCode,
        String(reply.getHeader('content-type') ?? ''),
        payload ?? '',
      );
    }
    done(null, payload);
  });
}

/** Throws with every violation met so far in this test file (and forgets them). */
export function assertConformance(): void {
  const violations = contract.violations.splice(0);
  if (violations.length > 0) {
    throw new Error(`${violations.length} answer(s) do not conform to the OpenAPI document:\n${violations.join('\n')}`);
  }
}

/** Adds this test file's count to the run's total (printed by `conformance.teardown.js`). */
export function recordConformanceCount(): void {
  const dir = process.env.CONFORMANCE_DIR;
  if (dir && contract.validated > 0) appendFileSync(join(dir, `${process.pid}.counts`), `${contract.validated}\n`);
  contract.validated = 0;
}

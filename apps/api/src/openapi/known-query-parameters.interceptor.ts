import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { invalidRequest } from '../errors/application-error';

/**
 * Refuses query parameters the document does not declare for the operation (400 naming each):
 * `?asof=2025-06-20` would otherwise answer silently for today. The declared ones come from the
 * OpenAPI document itself (`declaredQueryParameters`), so the check and the contract are one list.
 */
export class KnownQueryParameters implements NestInterceptor {
  constructor(private readonly declared: ReadonlyMap<string, ReadonlySet<string>>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const known = this.declared.get(operationKey(request));
    const query = request.query as Record<string, unknown> | undefined;
    if (known && query) {
      const unknown = Object.keys(query).filter((name) => !known.has(name));
      if (unknown.length > 0) {
        const takes = [...known].sort().join(', ');
        throw invalidRequest(
          unknown.map((name) => ({
            field: name,
            reason: `unknown query parameter ${JSON.stringify(name.slice(0, 80))}; this endpoint takes ${takes}`,
          })),
        );
      }
    }
    return next.handle();
  }
}

/** `GET /v1/clubs/{club}/squad-depth` from Fastify's route (`/v1/clubs/:club/squad-depth`); HEAD is its GET. */
function operationKey(request: FastifyRequest): string {
  return operationKeyOf(request.method, request.routeOptions.url ?? '');
}

/** `GET /v1/reports:batch` from a method and a Fastify route (`/v1/reports::batch`, `:club` for `{club}`). */
export function operationKeyOf(method: string, route: string): string {
  const path = route.replace(/(?<=\/):(\w+)/g, '{$1}').replace('::', ':');
  return `${method === 'HEAD' ? 'GET' : method} ${path}`;
}

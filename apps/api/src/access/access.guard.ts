import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationError } from '../errors/application-error';
import { AccessPolicy } from './access-policy';
import type { KeyHolder } from './api-keys';
import { COUNTS_AS_READ, IS_PUBLIC } from './public.decorator';

/** Methods that only read; every other method (POST, PUT, PATCH, DELETE, ...) writes. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The cookie a read may carry its key in (set by a proxy or a page; EventSource sends cookies). */
export const ACCESS_COOKIE = 'squad_api_key';
/** The query parameter a read may carry its key in (EventSource cannot set headers). */
export const ACCESS_QUERY = 'access_token';

const grants = new WeakMap<object, KeyHolder>();

/**
 * Who is asking, for per-client limits: the key's name when the request carried a valid key,
 * else its IP address. Never the key itself.
 */
export function clientOf(request: FastifyRequest): string {
  const holder = grants.get(request);
  return holder ? `key:${holder.id}` : `ip:${request.ip}`;
}

/**
 * The one access check, global (APP_GUARD), so a new endpoint is covered without edits: the
 * HTTP method decides. A write needs a write key in `Authorization: Bearer …` (never in the URL
 * or a cookie: a URL ends up in logs and histories, and a cookie would let another site's form
 * write). A read needs a key only when READ_API_KEYS is set, and then takes it from the header,
 * the `access_token` query parameter or the `squad_api_key` cookie. `@Public()` opens a route;
 * `@CountsAsRead()` guards a POST or DELETE that changes no stored data as a read.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly policy: AccessPolicy,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const keys = this.policy.keys;
    const write =
      !READ_METHODS.has(request.method) &&
      !this.reflector.getAllAndOverride<boolean>(COUNTS_AS_READ, [context.getHandler(), context.getClass()]);

    if (write) {
      if (keys.writesOpen) return true; // local-development mode (logged at start)
      const presented = fromHeader(request);
      if (!presented) {
        const inUrl = typeof (request.query as Record<string, unknown> | undefined)?.[ACCESS_QUERY] === 'string';
        throw unauthorized(
          reply,
          'API_KEY_REQUIRED',
          inUrl
            ? 'A write takes its API key in the Authorization header (Bearer), not in the URL'
            : 'A write needs an API key: Authorization: Bearer <key>',
        );
      }
      const holder = keys.check(presented);
      if (!holder) throw unauthorized(reply, 'API_KEY_INVALID', 'The API key is not valid');
      if (holder.role !== 'write') {
        throw new ApplicationError('API_KEY_READ_ONLY', 'forbidden', 'This API key may read but not write');
      }
      grants.set(request, holder);
      return true;
    }

    const presented = fromHeader(request) ?? fromQuery(request) ?? fromCookie(request);
    const holder = presented ? keys.check(presented) : undefined;
    if (holder) {
      grants.set(request, holder);
      return true;
    }
    // open reads ignore a key they do not know: the client is counted by its address
    if (keys.readsOpen) return true;
    if (!presented) {
      throw unauthorized(
        reply,
        'API_KEY_REQUIRED',
        `Reads need an API key: Authorization: Bearer <key>, or ?${ACCESS_QUERY}=<key> for a live stream`,
      );
    }
    throw unauthorized(reply, 'API_KEY_INVALID', 'The API key is not valid');
  }
}

function unauthorized(
  reply: FastifyReply,
  code: 'API_KEY_REQUIRED' | 'API_KEY_INVALID',
  detail: string,
): ApplicationError {
  // RFC 6750: say which scheme is expected, and that a presented key was refused
  void reply.header(
    'www-authenticate',
    code === 'API_KEY_INVALID' ? 'Bearer realm="squad-planner", error="invalid_token"' : 'Bearer realm="squad-planner"',
  );
  return new ApplicationError(code, 'unauthenticated', detail);
}

function fromHeader(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+?)\s*$/i.exec(header) : null;
  return match?.[1];
}

function fromQuery(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[ACCESS_QUERY];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fromCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator === -1 || pair.slice(0, separator).trim() !== ACCESS_COOKIE) continue;
    const raw = pair
      .slice(separator + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return raw ? decodeURIComponent(raw) : undefined;
    } catch {
      return raw; // not percent-encoded after all
    }
  }
  return undefined;
}

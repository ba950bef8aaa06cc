import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApplicationError } from '../errors/application-error';
import { clientOf, READ_METHODS } from './access.guard';
import { COUNTS_AS_READ } from './public.decorator';

/**
 * Rate limit on writes: WRITE_RATE_LIMIT requests a minute per client (its API key, or its IP
 * address without one), one budget across every write endpoint (a batch counts once). Runs after
 * the access guard, so a refused key costs nobody's budget and a valid one is counted by key.
 * Kept in this instance's memory: behind a load balancer each instance counts on its own.
 */
@Injectable()
export class WriteThrottlerGuard extends ThrottlerGuard {
  // the base class's hooks return promises; ours decide synchronously
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || READ_METHODS.has(context.switchToHttp().getRequest<FastifyRequest>().method)) {
      return Promise.resolve(true);
    }
    return Promise.resolve(
      !!this.reflector.getAllAndOverride<boolean>(COUNTS_AS_READ, [context.getHandler(), context.getClass()]),
    );
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(clientOf(request as unknown as FastifyRequest));
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `writes:${name}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new ApplicationError(
      'WRITE_RATE_LIMITED',
      'limit',
      `More than ${detail.limit} writes in a minute from this client; retry in ${detail.timeToBlockExpire} s`,
      { extensions: { limit: detail.limit, retryAfterSeconds: detail.timeToBlockExpire } },
    );
  }
}

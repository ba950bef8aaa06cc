import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Environment } from '../config/environment';
import { AccessGuard } from './access.guard';
import { AccessPolicy } from './access-policy';
import { StreamSlots } from './stream-slots';
import { WriteThrottlerGuard } from './write-throttler.guard';

const MINUTE_MS = 60_000;

/**
 * Access control and write limits for every route: the access guard first (401/403), then the
 * write rate limit (429). Global guards run in the order they are provided here. The stream
 * slots (per-client stream cap) are shared by live updates and replays, which import this module.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        // unnamed ("default"), so its headers are the standard Retry-After and X-RateLimit-*
        throttlers: [{ ttl: MINUTE_MS, limit: config.get('WRITE_RATE_LIMIT', { infer: true }) }],
      }),
    }),
  ],
  providers: [
    AccessPolicy,
    StreamSlots,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: WriteThrottlerGuard },
  ],
  exports: [AccessPolicy, StreamSlots],
})
export class AccessModule {}

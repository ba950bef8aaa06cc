import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { ApiKeys } from './api-keys';

/** The configured keys and limits, and the one line at start that says which access mode is on. */
@Injectable()
export class AccessPolicy implements OnApplicationBootstrap {
  private readonly logger = new Logger('access');
  readonly keys: ApiKeys;
  readonly writeRateLimit: number;

  constructor(config: ConfigService<Environment, true>) {
    this.keys = new ApiKeys(config.get('API_KEYS', { infer: true }), config.get('READ_API_KEYS', { infer: true }));
    this.writeRateLimit = config.get('WRITE_RATE_LIMIT', { infer: true });
  }

  onApplicationBootstrap(): void {
    const { keys } = this;
    if (keys.writesOpen) {
      this.logger.warn({
        msg: 'local-development mode: no API_KEYS are set, so writes are open to anyone who can reach this port; set API_KEYS before exposing it',
        mode: 'local-development',
        writes: 'open',
        reads: 'open',
      });
      return;
    }
    // counts only: keys are never logged
    this.logger.log({
      msg: `access: writes need one of ${keys.writeKeyCount} API key(s); reads ${keys.readsOpen ? 'are open' : `need a key (${keys.readKeyCount} read-only key(s) or a write key)`}`,
      mode: 'keys',
      writes: 'key',
      reads: keys.readsOpen ? 'open' : 'key',
      writeRateLimitPerMinute: this.writeRateLimit,
    });
  }
}

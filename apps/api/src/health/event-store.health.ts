import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@squad/event-store';
import { EVENT_STORE } from '@squad/event-store/nest';

/** The store answers a read of its head position within a second. */
@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key: string) {
    return this.health
      .check(key)
      .attempt(async () => ({ headPosition: Number(await this.store.headPosition()) }))
      .withTimeout(1000);
  }
}

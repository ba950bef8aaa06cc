import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { ApplicationError } from '../errors/application-error';

/**
 * The streams each client holds open at once (live updates and replays alike): an API key's
 * name or an IP address, at most LIVE_MAX_CONNECTIONS_PER_CLIENT, so one client cannot hold the
 * server's sockets and memory.
 */
@Injectable()
export class StreamSlots {
  private readonly openByClient = new Map<string, number>();

  constructor(private readonly config: ConfigService<Environment, true>) {}

  /** Takes one of the client's slots, or refuses with LIVE_CONNECTION_LIMIT. Returns the release (idempotent). */
  admit(client: string): () => void {
    const open = this.openByClient.get(client) ?? 0;
    const limit = this.config.get('LIVE_MAX_CONNECTIONS_PER_CLIENT', { infer: true });
    if (open >= limit) {
      throw new ApplicationError(
        'LIVE_CONNECTION_LIMIT',
        'limit',
        `This client already has ${open} live streams open, the most allowed; close one first`,
        { extensions: { limit } },
      );
    }
    this.openByClient.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.openByClient.get(client) ?? 1) - 1;
      if (left > 0) this.openByClient.set(client, left);
      else this.openByClient.delete(client);
    };
  }

  /** Streams open or opening across clients. */
  get taken(): number {
    let sum = 0;
    for (const open of this.openByClient.values()) sum += open;
    return sum;
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { today } from '@squad/projections';
import { type BenchServer as Server, freePort, spawnServer } from './bench-server';
import { type Figure, median, printFigure, printInfo } from './harness';

/**
 * Live updates to many subscribers: N SSE clients on one club, and the time from an append
 * being acknowledged to the update having reached every one of them. The baseline is a bare
 * node:http SSE broadcast of frames of the same size to the same number of clients, measured in
 * the same run. Both servers run as child processes (their memory is read from /proc), the
 * clients live in this process and are the same code for both.
 */

/** N SSE clients; `reached(P)` resolves once every one of them has seen an update with id >= P. */
class Subscribers {
  private readonly highest: number[] = [];
  private target = Infinity;
  private waiting = 0;
  private done: (() => void) | undefined;
  frameBytes = 0;
  private readonly sockets: (() => void)[] = [];

  static async open(url: string, count: number): Promise<Subscribers> {
    const subscribers = new Subscribers();
    await Promise.all(Array.from({ length: count }, (_, i) => subscribers.connect(url, i)));
    return subscribers;
  }

  private connect(url: string, index: number): Promise<void> {
    this.highest[index] = 0;
    return new Promise((resolve, reject) => {
      const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
        res.setEncoding('utf8');
        let tail = '';
        res.on('data', (chunk: string) => {
          const text = tail + chunk;
          let end: number;
          let from = 0;
          while ((end = text.indexOf('\n\n', from)) !== -1) {
            const frame = text.slice(from, end);
            from = end + 2;
            if (frame.startsWith('id: ') && frame.includes('\nevent: update\n')) {
              this.frameBytes = frame.length + 2;
              this.seen(index, Number(frame.slice(4, frame.indexOf('\n'))));
            }
          }
          tail = text.slice(from);
        });
        resolve();
      });
      req.on('error', reject);
      req.end();
      this.sockets.push(() => req.destroy());
    });
  }

  private seen(index: number, id: number): void {
    const before = this.highest[index];
    if (id > before) this.highest[index] = id;
    if (before < this.target && id >= this.target && --this.waiting === 0) this.done?.();
  }

  reached(position: number): Promise<void> {
    this.target = position;
    this.waiting = this.highest.filter((id) => id < position).length;
    if (this.waiting === 0) return Promise.resolve();
    return new Promise((resolve) => (this.done = resolve));
  }

  close(): void {
    for (const destroy of this.sockets) destroy();
  }
}

async function post(url: string, body?: unknown): Promise<{ storePosition?: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.headers.get('content-type')?.includes('json')
    ? ((await response.json()) as { storePosition?: number })
    : {};
}

interface Latencies {
  readonly p50: number;
  readonly p99: number;
  readonly perConnectionKiB: number;
  readonly frameBytes: number;
}

/** Rounds of: publish, take the ack time, wait until every subscriber has the update. */
async function measure(
  server: Server,
  path: string,
  count: number,
  rounds: number,
  publish: (round: number) => Promise<number>,
): Promise<Latencies> {
  const before = server.rssKiB();
  const subscribers = await Subscribers.open(`${server.url}${path}`, count);
  const timings: number[] = [];
  try {
    for (let round = 0; round < rounds + 5; round++) {
      const started = process.hrtime.bigint();
      const position = await publish(round);
      const acknowledged = process.hrtime.bigint();
      await subscribers.reached(position);
      // the first rounds warm both sides up (JIT, buffers); keep them out of the figures
      if (round >= 5) timings.push(Number(process.hrtime.bigint() - acknowledged) / 1e6);
      if (round === 0)
        printInfo(
          `  ${path}: first publish acknowledged in`,
          `${(Number(acknowledged - started) / 1e6).toFixed(1)} ms`,
        );
    }
    global.gc?.();
    const perConnectionKiB = (server.rssKiB() - before) / count;
    timings.sort((a, b) => a - b);
    return {
      p50: median(timings),
      p99: timings[Math.min(timings.length - 1, Math.floor(timings.length * 0.99))],
      perConnectionKiB,
      frameBytes: subscribers.frameBytes,
    };
  } finally {
    subscribers.close();
  }
}

export async function benchLiveUpdates(options: { subscribers: number; rounds: number }): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'squad-bench-live-'));
  const { subscribers, rounds } = options;
  const servers: Server[] = [];
  try {
    // ours: the service as deployed on the embedded store, quiet logs (the baseline logs nothing)
    const port = await freePort();
    const api = await spawnServer(
      ['apps/api/src/main.ts'],
      // one client holds all the subscribers: the per-client stream cap must let them in
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        SQLITE_PATH: join(dir, 'squad.db'),
        READ_MODEL_SNAPSHOT_PATH: 'none',
        SEED_ON_EMPTY: 'true',
        LOG_LEVEL: 'warn',
        LIVE_MAX_CONNECTIONS_PER_CLIENT: String(subscribers + 10),
      },
      port,
    );
    servers.push(api);
    let player = 0;
    const ours = await measure(api, '/v1/clubs/juventus/updates', subscribers, rounds, async () => {
      const { storePosition: position } = await post(`${api.url}/v1/reports`, {
        reportId: `bench-live-${++player}`,
        source: { name: 'Bench' },
        publishedOn: today(),
        claims: [
          { type: 'InterestDeclared', club: 'juventus', player: `bench-prospect-${player}`, priority: 'medium' },
        ],
      });
      return position!;
    });
    await api.stop();

    const bare = await spawnServer(['test/bench/bare-sse-server.ts'], {}, undefined);
    servers.push(bare);
    let id = 0;
    const baseline = await measure(bare, '/sse', subscribers, rounds, async () => {
      await post(`${bare.url}/publish?bytes=${ours.frameBytes}&id=${++id}`);
      return id;
    });
    await bare.stop();

    const figure: Figure = {
      name: `live update to ${subscribers.toLocaleString('en-US')} SSE subscribers of one club, append ack to last delivery, p99 vs bare node:http SSE broadcast`,
      subject: ours.p99,
      baseline: baseline.p99,
      unit: 'ms',
      ratio: ours.p99 / baseline.p99,
      target: '<= 2',
      met: ours.p99 / baseline.p99 <= 2,
    };
    printFigure(figure);
    printInfo(
      '  p50',
      `ours ${ours.p50.toFixed(2)} ms, bare ${baseline.p50.toFixed(2)} ms (frames of ${ours.frameBytes} bytes, ${rounds} rounds)`,
    );
    printInfo(
      '  resident memory per connection',
      `ours ${ours.perConnectionKiB.toFixed(1)} KiB, bare ${baseline.perConnectionKiB.toFixed(1)} KiB`,
    );
    return [figure];
  } finally {
    for (const server of servers) if (server.child.exitCode === null) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Servers for the benches, as child processes (their memory is read from /proc), run from source. */
export const ROOT = join(__dirname, '..', '..');

export interface BenchServer {
  readonly child: ChildProcess;
  readonly url: string;
  rssKiB(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * Starts a server; `port` known up front (ours: then it answers /health/live when ready), or
 * undefined (the bare one prints its port).
 */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  port: number | undefined,
): Promise<BenchServer> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`))),
  );
  exited.catch(() => undefined);
  if (port === undefined) {
    port = await Promise.race([
      exited,
      new Promise<number>((resolve) =>
        createInterface({ input: child.stdout }).once('line', (line) =>
          resolve((JSON.parse(line) as { port: number }).port),
        ),
      ),
    ]);
  } else {
    child.stdout.resume();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${args[0]} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    rssKiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The environment of our service under a bench: on `port`, its embedded store in `dir`, no
 * snapshot, quiet, write and read keys on; `extra` adds to it or overrides it.
 */
export function benchServerEnv(
  port: number,
  dir: string,
  keys: { write: string; read: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    SQLITE_PATH: join(dir, 'squad.db'),
    READ_MODEL_SNAPSHOT_PATH: 'none',
    SEED_ON_EMPTY: 'false',
    LOG_LEVEL: 'warn',
    API_KEYS: keys.write,
    READ_API_KEYS: keys.read,
    ...extra,
  };
}

/** The server's heap after a full collection (see heap-probe.ts), in MiB. */
export async function liveHeapMiB(server: BenchServer, probe: string): Promise<number> {
  const lines = () => (existsSync(probe) ? readFileSync(probe, 'utf8').trim().split('\n').filter(Boolean) : []);
  const before = lines().length;
  server.child.kill('SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (lines().length === before) {
    if (Date.now() > deadline) throw new Error('the heap probe did not answer');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return (JSON.parse(lines().at(-1)!) as { heapUsed: number }).heapUsed / 2 ** 20;
}

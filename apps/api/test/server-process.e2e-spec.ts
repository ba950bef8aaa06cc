import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The built API as `npm start` runs it: a real process, its JSON log on stdout, its exit.
 * `npm test` builds first; run `npm run build` before running this file alone.
 */
const MAIN = join(__dirname, '..', '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first log line matching `predicate`. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startServer(env: Record<string, string>): Started {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { predicate: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>; // every line must be JSON
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.predicate(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    child,
    lines,
    exited,
    waitForLog: (predicate) =>
      new Promise((resolve, reject) => {
        const found = lines.find(predicate);
        if (found) return resolve(found);
        waiters.push({ predicate, resolve });
        void exited.then(({ stderr: err }) => reject(new Error(`server exited before the expected log line: ${err}`)));
      }),
  };
}

describe('API server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'squad-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh path, serves /health, logs JSON and stops cleanly on SIGTERM', async () => {
    const sqlitePath = join(dir, 'fresh', 'folder', 'squad.db');
    const server = startServer({ PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: sqlitePath });
    const listening = await server.waitForLog((l) => l.msg === 'squad planner listening');
    expect(existsSync(sqlitePath)).toBe(true);

    const response = await fetch(`${listening.url as string}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
    await server.waitForLog((l) => l.msg === 'request completed');

    server.child.kill('SIGTERM');
    const exit = await server.exited;
    // Nest re-raises the signal after closing, the conventional way to report it
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
    expect(server.lines.some((l) => l.msg === 'stopped on SIGTERM')).toBe(true);
    for (const line of server.lines) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), service: 'squad-planner' });
  });

  it('refuses to start on invalid configuration and names the variable', async () => {
    const server = startServer({ PORT: 'not-a-port', EVENT_STORE: 'mongodb', SQLITE_PATH: join(dir, 'never.db') });
    const exit = await server.exited;
    expect(exit.code).toBe(1);
    const logged = JSON.parse(exit.stderr.trim()) as { level: string; msg: string };
    expect(logged.level).toBe('fatal');
    expect(logged.msg).toContain('PORT="not-a-port"');
    expect(logged.msg).toContain('EVENT_STORE="mongodb"');
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });
});

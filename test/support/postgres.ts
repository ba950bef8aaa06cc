import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * PostgreSQL for tests: every suite gets a fresh database, created through the admin URL and
 * dropped afterwards, so suites and parallel runs never see each other's data.
 *
 * `TEST_DATABASE_URL` is the admin URL (a role allowed to CREATE DATABASE, connected to an
 * existing database). When the server cannot be reached the suites are skipped with a loud
 * warning, except under `CI=true`, where they fail: CI must not go green without having run them.
 */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface FreshDatabase {
  readonly name: string;
  /** The admin URL pointing at the fresh database. */
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

export async function createFreshDatabase(
  prefix = 'squad_test',
  adminUrl = ADMIN_DATABASE_URL,
): Promise<FreshDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  // template0 accepts no connections, so concurrent CREATE DATABASE calls never find their
  // template busy (template1 would fail them while anyone is connected to it).
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function withAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export type Availability = { readonly reachable: true } | { readonly reachable: false; readonly reason: string };

let availability: Availability | undefined;

/**
 * Whether the server answers, checked once per test file. Synchronous (a child process), because
 * Jest collects a file's tests synchronously and the suite must be declared skipped or not then.
 */
export function postgresAvailability(adminUrl = ADMIN_DATABASE_URL): Availability {
  if (availability) return availability;
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const { Client } = require('pg');
       const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
       client.connect().then(() => client.query('SELECT 1')).then(() => client.end()).then(
         () => process.exit(0),
         (error) => { console.error(error.message || error.code || String(error)); process.exit(1); });`,
    ],
    { cwd: __dirname, env: { ...process.env, PROBE_URL: adminUrl }, encoding: 'utf8', timeout: 10_000 },
  );
  availability =
    probe.status === 0
      ? { reachable: true }
      : {
          reachable: false,
          reason: (probe.stderr || probe.error?.message || `probe exited with ${probe.status}`).trim(),
        };
  return availability;
}

/** The URL with its password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Declares a suite that runs against a fresh database: `database()` gives it inside tests and
 * hooks. Unreachable server: the suite fails under CI=true, and is skipped (with a warning and
 * a name that says why) otherwise.
 */
export function describeWithPostgres(name: string, body: (database: () => FreshDatabase) => void): void {
  const status = postgresAvailability();
  if (!status.reachable) {
    const why = `PostgreSQL unreachable at ${redactUrl(ADMIN_DATABASE_URL)}: ${status.reason}`;
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs a reachable PostgreSQL (set TEST_DATABASE_URL)', () => {
          throw new Error(`${why}. CI=true, so the PostgreSQL suites fail instead of being skipped.`);
        });
      });
      return;
    }
    // Straight to stderr: Jest drops the buffered console output of a file whose tests all skip.
    process.stderr.write(
      `\n${'!'.repeat(78)}\n!! SKIPPING "${name}"\n!! ${why}\n!! Start PostgreSQL or set TEST_DATABASE_URL to run it.\n${'!'.repeat(78)}\n\n`,
    );
    describe.skip(`${name} [SKIPPED: ${why}]`, () =>
      body(() => {
        throw new Error(why);
      }));
    return;
  }

  describe(name, () => {
    let database: FreshDatabase | undefined;
    beforeAll(async () => {
      database = await createFreshDatabase();
    });
    afterAll(async () => {
      await database?.drop();
    });
    body(() => {
      if (!database) throw new Error('the fresh database is created in beforeAll; use it inside tests and hooks');
      return database;
    });
  });
}

/** Polls a condition (a database state, not a consumer's progress) until it holds or the deadline passes. */
export async function waitUntil(
  what: string,
  condition: () => Promise<boolean>,
  deadlineMs = 10_000,
  everyMs = 10,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

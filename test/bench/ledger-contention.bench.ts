import type { Report } from '@squad/domain';
import { WrongExpectedRevisionError } from '@squad/event-store';
import { PostgresEventStore } from '@squad/event-store/postgres';
import { Ledger } from '@squad/reports';
import { ADMIN_DATABASE_URL, createFreshDatabase, postgresAvailability, redactUrl } from '../support/postgres';
import { type Figure, median, printFigure, printInfo } from './harness';

/** A valid report that depends on no other: interest in a player nobody else names. */
function uniqueReport(round: string, writer: string, n: number): Report {
  return {
    reportId: `${round}-${writer}-${n}`,
    source: { name: 'Contention bench' },
    publishedOn: '2025-07-01',
    publishedOnApprox: false,
    claims: Array.from({ length: 1 + (n % 2) }, (_, claim) => ({
      type: 'InterestDeclared' as const,
      club: `bench-club-${writer}`,
      player: `${round}-player-${writer}-${n}-${claim}`,
      priority: 'high' as const,
    })),
  };
}

interface RoundResult {
  readonly reportsPerSecond: number;
  readonly recorded: number;
  /** Valid reports refused because another writer won a race (WRONG_EXPECTED_REVISION). */
  readonly refused: number;
  /** Any other failure (none expected). */
  readonly failed: number;
}

/**
 * Writers posting unique, valid reports through the ledger on PostgreSQL, as HTTP writers do
 * (one report at a time each, a refusal counted and not posted again). `ledgers` ledgers on as
 * many stores (connection pools) stand for as many service instances on one database.
 */
async function round(
  url: string,
  name: string,
  ledgers: number,
  writersPerLedger: number,
  reportsPerWriter: number,
): Promise<RoundResult> {
  const stores = await Promise.all(
    Array.from({ length: ledgers }, () => PostgresEventStore.open({ connectionString: url, schema: name })),
  );
  try {
    const instances = stores.map((store) => new Ledger(store));
    await Promise.all(instances.map((ledger) => ledger.catchUp()));
    let recorded = 0;
    let refused = 0;
    let failed = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      instances.flatMap((ledger, l) =>
        Array.from({ length: writersPerLedger }, async (_, w) => {
          for (let n = 0; n < reportsPerWriter; n++) {
            try {
              await ledger.record(uniqueReport(name, `${l}-${w}`, n));
              recorded++;
            } catch (error) {
              if (error instanceof WrongExpectedRevisionError) refused++;
              else failed++;
            }
          }
        }),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { reportsPerSecond: recorded / seconds, recorded, refused, failed };
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

/**
 * Issue 21 item 2: valid, independent reports written concurrently through the ledger on
 * PostgreSQL, by one writer, by 8 writers on one ledger (one instance), and by 8 writers on each
 * of two ledgers (two instances on one database). Throughput (reports/s) against the single
 * writer's, and how many valid reports were refused for contention (target 0).
 */
export async function benchLedgerContention(options: { reportsPerRound: number; rounds: number }): Promise<Figure[]> {
  const availability = postgresAvailability();
  if (!availability.reachable) {
    printInfo(
      'ledger contention skipped',
      `PostgreSQL unreachable at ${redactUrl(ADMIN_DATABASE_URL)}: ${availability.reason}`,
    );
    return [];
  }
  const database = await createFreshDatabase('squad_bench_contention');
  try {
    const configurations = [
      { label: '1 writer', ledgers: 1, writers: 1 },
      { label: '8 writers on one ledger', ledgers: 1, writers: 8 },
      { label: '8 writers on each of two ledgers', ledgers: 2, writers: 8 },
    ] as const;
    const results = new Map<string, RoundResult[]>(configurations.map((c) => [c.label, []]));
    for (let r = 0; r < options.rounds; r++) {
      // interleaved, so machine noise hits every configuration alike
      for (const [c, configuration] of configurations.entries()) {
        const writers = configuration.ledgers * configuration.writers;
        const perWriter = Math.max(1, Math.round(options.reportsPerRound / writers));
        results
          .get(configuration.label)!
          .push(await round(database.url, `r${r}_c${c}`, configuration.ledgers, configuration.writers, perWriter));
      }
    }
    const summary = (label: string) => {
      const rounds = results.get(label)!;
      return {
        reportsPerSecond: median(rounds.map((x) => x.reportsPerSecond)),
        recorded: rounds.reduce((sum, x) => sum + x.recorded, 0),
        refused: rounds.reduce((sum, x) => sum + x.refused, 0),
        failed: rounds.reduce((sum, x) => sum + x.failed, 0),
      };
    };
    const single = summary('1 writer');
    const oneInstance = summary('8 writers on one ledger');
    const twoInstances = summary('8 writers on each of two ledgers');
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    for (const [label, s] of [
      ['1 writer', single],
      ['8 writers on one ledger', oneInstance],
      ['8 writers on each of two ledgers', twoInstances],
    ] as const) {
      const attempted = s.recorded + s.refused + s.failed;
      printInfo(
        `PostgreSQL ledger, ${label}`,
        `${fmt(s.reportsPerSecond)} reports/s; ${s.refused} of ${attempted} refused for contention ` +
          `(${((100 * s.refused) / Math.max(1, attempted)).toFixed(1)}%), ${s.failed} failed otherwise`,
      );
    }
    const attempted = twoInstances.recorded + twoInstances.refused + twoInstances.failed;
    const figures: Figure[] = [
      {
        name: 'PostgreSQL ledger: reports/s at 8 writers on each of two ledgers vs 1 writer',
        subject: twoInstances.reportsPerSecond,
        baseline: single.reportsPerSecond,
        unit: 'reports/s',
        ratio: twoInstances.reportsPerSecond / single.reportsPerSecond,
        // contention must cost nothing: concurrent writers are at least as fast as one
        target: '>= 1',
        met: twoInstances.reportsPerSecond / single.reportsPerSecond >= 1,
      },
      {
        name: 'PostgreSQL ledger: valid reports refused (or failed) at 8 writers on each of two ledgers',
        subject: twoInstances.refused + twoInstances.failed,
        baseline: attempted,
        unit: 'reports',
        ratio: (twoInstances.refused + twoInstances.failed) / Math.max(1, attempted),
        target: '= 0',
        met: twoInstances.refused + twoInstances.failed === 0 && oneInstance.refused + oneInstance.failed === 0,
      },
    ];
    for (const figure of figures) printFigure(figure);
    return figures;
  } finally {
    await database.drop();
  }
}

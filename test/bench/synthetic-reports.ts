import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '@squad/event-store';
import { CANONICAL_LEDGER_STREAM } from '@squad/domain';
import { POSITIONS } from '@squad/domain';

/**
 * Plausible synthetic transfer news, shaped exactly like the ledger's events: many clubs with
 * 25-player squads, seasons of injuries, loans, transfers, pursuits, valuations and disputes.
 * More events mean more clubs *and* more seasons, so a longer history as well as a wider one.
 * Deterministic for a given size (a seeded generator), so runs compare.
 */
export interface SyntheticWorld {
  readonly events: number;
  readonly clubs: string[];
  readonly firstDay: string;
  readonly lastDay: string;
}

const EVENTS_PER_CLUB_SEASON = 100;

export async function writeSyntheticHistory(store: EventStore, events: number): Promise<SyntheticWorld> {
  const clubCount = Math.max(20, Math.round(events / 2500));
  const seasons = Math.max(1, Math.round(events / (clubCount * EVENTS_PER_CLUB_SEASON)));
  const clubs = Array.from({ length: clubCount }, (_, i) => `club-${i}`);
  const clubIndex = new Map(clubs.map((club, i) => [club, i]));
  const random = mulberry32(events);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const start = Date.UTC(2000, 6, 1);
  const totalDays = seasons * 365;
  const dayOf = (n: number) =>
    new Date(start + Math.floor((n / events) * totalDays) * 86_400_000).toISOString().slice(0, 10);

  const clubOf = new Map<string, string>();
  const injured = new Set<string>();
  const onLoan = new Map<string, string>();
  let batch: EventToAppend[] = [];
  let n = 0;
  let report = 0;
  // reports of 1 to 6 claims, as the seed articles have; `claim` counts within the current one
  let claim = 0;
  let claimsInReport = 0;
  let reportDay = '';
  const nextClaim = (): [number, number] => [claim++, claimsInReport];
  const emit = (type: string, data: Record<string, unknown>, claimIndex: number, claimCount: number, on: string) => {
    batch.push({
      id: randomUUID(),
      type,
      data: { ...data, effectiveOn: on },
      metadata: {
        reportId: `synthetic-${report}`,
        source: { name: SOURCES[report % SOURCES.length] },
        publishedOn: on,
        publishedOnApprox: false,
        claimIndex,
        claimCount,
        reportHash: 'synthetic',
      },
    });
    n++;
  };
  const flush = async () => {
    if (batch.length) await store.append(CANONICAL_LEDGER_STREAM, batch);
    batch = [];
  };

  // the squads at the start: one report per club
  for (const club of clubs) {
    report++;
    for (let i = 0; i < 25 && n < events; i++) {
      const player = `${club}-player-${i}`;
      clubOf.set(player, club);
      emit(
        'PlayerRegistered',
        { player, name: `Player ${i} of ${club}`, club, position: POSITIONS[i % POSITIONS.length] },
        i,
        25,
        dayOf(n),
      );
    }
    if (batch.length >= 1000) await flush();
  }
  const players = [...clubOf.keys()];
  while (n < events) {
    if (claim >= claimsInReport) {
      report++;
      claim = 0;
      claimsInReport = Math.min(1 + Math.floor(random() * 6), events - n);
      reportDay = dayOf(n);
    }
    const on = reportDay; // every claim of a report is published (and, here, effective) on its day
    const player = pick(players);
    const club = clubOf.get(player)!;
    const otherIndex = Math.floor(random() * (clubs.length - 1));
    const other = clubs[otherIndex >= clubIndex.get(club)! ? otherIndex + 1 : otherIndex]; // any other club, uniformly
    const roll = random();
    if (roll < 0.12) {
      if (injured.has(player)) {
        injured.delete(player);
        emit('PlayerReturnedFromInjury', { player }, ...nextClaim(), on);
      } else {
        injured.add(player);
        emit('PlayerInjured', { player, injury: pick(['hamstring', 'ankle', 'ACL', 'knee']) }, ...nextClaim(), on);
      }
    } else if (roll < 0.2) {
      if (onLoan.has(player)) {
        emit('LoanReturned', { player, fromClub: onLoan.get(player) }, ...nextClaim(), on);
        onLoan.delete(player);
      } else {
        onLoan.set(player, other);
        emit('LoanDeparted', { player, toClub: other }, ...nextClaim(), on);
      }
    } else if (roll < 0.55) {
      const type = pick([
        'InterestDeclared',
        'TalksRequested',
        'TalksRefused',
        'BidSubmitted',
        'BidRejected',
        'PursuitAbandoned',
      ] as const);
      emit(type, pursuitData(type, other, player, club, random), ...nextClaim(), on);
    } else if (roll < 0.6 && claimsInReport - claim >= 2) {
      emit('TalksRefused', { club: other, player, byClub: club }, ...nextClaim(), on);
      emit(
        'ClaimDisputed',
        { club: other, player, disputedType: 'TalksRefused', statement: 'no offer was ever blocked' },
        ...nextClaim(),
        on,
      );
    } else if (roll < 0.68) {
      onLoan.delete(player);
      clubOf.set(player, other);
      emit(
        'TransferCompleted',
        { player, fromClub: club, toClub: other, feeEur: Math.round(random() * 50) * 1_000_000 },
        ...nextClaim(),
        on,
      );
    } else if (roll < 0.8) {
      emit('MarketValueReported', { player, valueEur: Math.round(random() * 80) * 1_000_000 }, ...nextClaim(), on);
    } else if (roll < 0.9) {
      emit(
        'ContractRecorded',
        { player, club, expiresOn: `${Number(on.slice(0, 4)) + 1 + Math.floor(random() * 4)}-06-30` },
        ...nextClaim(),
        on,
      );
    } else if (roll < 0.97) {
      emit('OutgoingCandidateFlagged', { club, player, reason: 'saturated position' }, ...nextClaim(), on);
    } else {
      emit('ManagerAppointed', { club, manager: `Manager ${Math.floor(random() * 1000)}` }, ...nextClaim(), on);
    }
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return { events: n, clubs, firstDay: dayOf(0), lastDay: dayOf(events - 1) };
}

const SOURCES = [
  'Tuttojuve',
  'La Gazzetta dello Sport',
  'Tuttomercatoweb',
  'Football Italia',
  'La Tribune Olympienne',
  "L'Équipe",
  'Marca',
];

function pursuitData(
  type: string,
  club: string,
  player: string,
  holder: string,
  random: () => number,
): Record<string, unknown> {
  switch (type) {
    case 'InterestDeclared':
      return { club, player, priority: ['top', 'high', 'medium', 'low'][Math.floor(random() * 4)] };
    case 'TalksRequested':
      return { club, player, withClub: holder };
    case 'TalksRefused':
      return { club, player, byClub: holder };
    case 'BidSubmitted':
      return { club, player, toClub: holder, amountEur: Math.round(random() * 60) * 1_000_000 };
    case 'BidRejected':
      return { club, player, byClub: holder };
    default:
      return { club, player, reason: 'too expensive' };
  }
}

/** A small seeded PRNG, so the same size gives the same world. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

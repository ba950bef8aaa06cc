import { createHash } from 'node:crypto';
import type { Claim, Report, Slug } from '@squad/domain';
import type { ClubEntry, HistoricalMove, PlayerEntry, TransfermarktHistory } from './transfermarkt';

/**
 * Transfermarkt's record, as reports: one report per move, from a `data` source, so the domain
 * records a move that contradicts what the store believes and flags it rather than refusing it
 * (`isHistoricalRecord`). Every report is made from the data alone, never from the store, so a
 * second run (or a run after `kill -9`) makes the same reports with the same ids and contents,
 * and the ledger's idempotency records nothing twice.
 *
 * A move's report says, in this order:
 * - who the player is (`PlayerProfileReported`: name, position, nationality, birth year), in every
 *   report, so a subset of the data (`--seasons`) still knows each player it names;
 * - the move: `TransferCompleted` (a transfer, a loan made permanent); `LoanDeparted` (a loan out,
 *   from the owner), preceded by his `PlayerRegistered` at the owner when the data has not shown
 *   him anywhere before (`fromNowhere`), so he returns there; `LoanReturned` (the end of a loan),
 *   or `PlayerRegistered` at the club he returns to when the loan is one the store cannot know
 *   (its borrower not named, or begun before the data); `PlayerRegistered` at the new club for an
 *   arrival from no club (a free agent, a comeback, a youth promotion, an unknown origin);
 *   `PlayerReleased` with its reason, or `PlayerRetired`, for a departure to no club, and for a
 *   loan to a club the data does not name (`destination-unknown`: he leaves the lender's squad);
 * - his market value on the day (`MarketValueReported`), when the row gives one.
 * Dates: the window's conventional day (see `effectiveOn` of the mapping), as valid time and as
 * publication day, both marked approximate. Its evidence: the row or rows it was read from
 * (`data/2018/serie-a.csv:412`), the buyer's first.
 *
 * Each club is introduced by a report of its own (`ClubProfileReported`: its usual name, every
 * spelling the data set uses, its country, a youth side's first team), recorded just before the
 * first move that names it and dated like that move, so `GET /v1/clubs?search=` finds it by any
 * spelling. Its id carries a hash of its content: a wider import (more leagues, more seasons)
 * learns more spellings and records a newer profile beside the old one, instead of a conflict.
 */
export const TRANSFERMARKT_SOURCE = {
  name: 'Transfermarkt',
  url: 'https://www.transfermarkt.com/',
  kind: 'data',
} as const;

/** The report id of a move: its stable id (`tm-…`, a prefix no news report of ours uses). */
export const transfermarktReportId = (move: HistoricalMove): string => move.moveId;

/** The reports of a mapped history, in its recording order: each club's profile before its first move. */
export function* transfermarktReports(history: TransfermarktHistory): Generator<Report> {
  const players = new Map(history.players.map((player) => [player.slug, player]));
  const clubs = new Map(history.clubs.map((club) => [club.slug, club]));
  const introduced = new Set<Slug>();
  function* introduce(slug: Slug | undefined, effectiveOn: string): Generator<Report> {
    const club = slug === undefined ? undefined : clubs.get(slug);
    if (club === undefined || introduced.has(club.slug)) return;
    introduced.add(club.slug);
    // a youth side's first team first, so the link names a club already known
    if (club.parent !== undefined) yield* introduce(club.parent, effectiveOn);
    yield reportOfClub(club, effectiveOn);
  }
  for (const move of history.moves) {
    yield* introduce(move.fromClub, move.effectiveOn);
    yield* introduce(move.toClub, move.effectiveOn);
    yield reportOfMove(move, players.get(move.player));
  }
}

const CLUB_PROFILE_PREFIX = 'tm-club-';
/** Whether a report id is a club profile's (a move's id never starts so: its second part is a season). */
export const isClubProfile = (reportId: string): boolean => reportId.startsWith(CLUB_PROFILE_PREFIX);

/** A club's profile as the data set spells it, dated at `effectiveOn` (approximate). */
export function reportOfClub(club: ClubEntry, effectiveOn: string): Report {
  const aliases = club.aliases.filter((alias) => alias !== club.name);
  const claim: Claim = {
    type: 'ClubProfileReported',
    club: club.slug,
    name: club.name,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(club.country !== undefined ? { country: club.country } : {}),
    ...(club.parent !== undefined ? { parentClub: club.parent } : {}),
    effectiveOn,
    effectiveOnApprox: true,
  };
  const hash = createHash('sha256').update(JSON.stringify(claim)).digest('hex').slice(0, 12);
  return {
    reportId: `${CLUB_PROFILE_PREFIX}${club.slug}-${hash}`,
    source: TRANSFERMARKT_SOURCE,
    publishedOn: effectiveOn,
    publishedOnApprox: true,
    claims: [claim],
  };
}

export function reportOfMove(move: HistoricalMove, profile: PlayerEntry | undefined): Report {
  const day = { effectiveOn: move.effectiveOn, effectiveOnApprox: true } as const;
  const player = move.player;
  const claims: Claim[] = [];
  if (profile) {
    claims.push({
      type: 'PlayerProfileReported',
      player,
      name: profile.name,
      ...(profile.position ? { position: profile.position } : {}),
      ...(profile.nationality ? { nationality: profile.nationality } : {}),
      ...(profile.birthYear !== undefined ? { birthYear: profile.birthYear } : {}),
      ...day,
    });
  }
  const fee = move.feeEur === undefined ? {} : { feeEur: Math.round(move.feeEur) };
  const { fromClub, toClub } = move;
  switch (move.kind) {
    case 'transfer':
    case 'loan-made-permanent':
      if (fromClub && toClub) claims.push({ type: 'TransferCompleted', player, fromClub, toClub, ...fee, ...day });
      else if (toClub) claims.push(registration(move, profile, toClub));
      break;
    case 'loan':
      // seen first leaving on loan: he belonged to the lender, so he returns there
      if (fromClub && move.fromNowhere) claims.push(registration(move, profile, fromClub));
      if (toClub) claims.push({ type: 'LoanDeparted', player, toClub, ...day });
      // on loan at a club the data does not name: away from the lender's squad, to no known club
      else if (fromClub)
        claims.push({ type: 'PlayerReleased', player, fromClub, reason: 'destination-unknown', ...day });
      break;
    case 'end-of-loan':
      // back from a loan the store cannot know (a borrower not named, or a loan before the data):
      // registered again at the club he returns to
      if (toClub && (fromClub === undefined || move.fromNowhere)) claims.push(registration(move, profile, toClub));
      else if (fromClub) claims.push({ type: 'LoanReturned', player, fromClub, ...day });
      break;
    case 'free-agent-signing':
    case 'unknown-origin':
    case 'comeback':
    case 'youth-promotion':
      if (toClub) claims.push(registration(move, profile, toClub));
      break;
    case 'released':
    case 'career-break':
    case 'ban':
    case 'unknown-destination':
      if (fromClub)
        claims.push({ type: 'PlayerReleased', player, fromClub, reason: RELEASE_REASON[move.kind], ...day });
      break;
    case 'retired':
      claims.push({ type: 'PlayerRetired', player, ...(fromClub ? { fromClub } : {}), ...day });
      break;
    default:
      return assertNoMoveKind(move.kind);
  }
  if (move.marketValueEur !== undefined && move.marketValueEur > 0)
    claims.push({ type: 'MarketValueReported', player, valueEur: Math.round(move.marketValueEur), ...day });
  return {
    reportId: transfermarktReportId(move),
    source: TRANSFERMARKT_SOURCE,
    publishedOn: move.effectiveOn,
    publishedOnApprox: true,
    evidence: move.evidence.map((row) => `${row.file}:${row.line}`),
    claims,
  };
}

const RELEASE_REASON = {
  released: 'released',
  'career-break': 'career-break',
  ban: 'ban',
  'unknown-destination': 'destination-unknown',
} as const;

/** An arrival from no club registers him at his new one (a position is required: `CM` when none is known). */
function registration(move: HistoricalMove, profile: PlayerEntry | undefined, club: string): Claim {
  return {
    type: 'PlayerRegistered',
    player: move.player,
    name: profile?.name ?? move.player,
    club,
    // the data set gives a position for nearly every row; the profile says when it does not
    position: profile?.position ?? 'CM',
    effectiveOn: move.effectiveOn,
    effectiveOnApprox: true,
  };
}

function assertNoMoveKind(kind: never): never {
  throw new Error(`a move of an unknown kind: ${String(kind)}`);
}

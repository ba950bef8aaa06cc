import { claimDay, isHistoricalRecord, type Claim, type Report, type Slug } from './claims';
import { assertNever } from './assert-never';
import { DomainError } from './errors';
import type { ClaimRef, Provenance, SquadEvent } from './events';
import {
  evolvePlayer,
  initialPlayerState,
  nextMoveNeedingClub,
  playerOf,
  registrationOn,
  type PlayerState,
  type Registration,
} from './player';
import { evolveClubStaff, initialClubStaff, managerOn, staffClubOf, type ClubStaff } from './club-staff';
import {
  clubPlayerKey,
  clubPlayerSubjectOf,
  evolveClubPlayerClaims,
  initialClubPlayerClaims,
  type ClubPlayerClaims,
} from './club-player-claims';

/** Record one report: all its claims as events, or nothing. */
export interface RecordReport {
  readonly report: Report;
  /** SHA-256 of the report's normalised content (`canonicalReportContent`), computed by the caller: the domain hashes nothing. */
  readonly reportHash: string;
}

export type ReportState = { readonly status: 'new' } | { readonly status: 'recorded'; readonly reportHash: string };

/** The aggregate states a decision reads, all at one revision of the ledger. */
export interface DecisionContext {
  report(reportId: string): ReportState;
  player(player: Slug): PlayerState;
  clubPlayerClaims(club: Slug, player: Slug): ClubPlayerClaims;
  /** Who managed the club when (a departure must name the manager it has). */
  clubStaff(club: Slug): ClubStaff;
}

export type RecordReportDecision =
  { readonly outcome: 'recorded'; readonly events: SquadEvent[] } | { readonly outcome: 'already-recorded' };

/**
 * Decides the events of a report. Claims apply in order, so a report may register a player and
 * then transfer him. Contradictions between sources are recorded and flagged, never refused;
 * only real invariants (who a player belongs to) refuse a report.
 */
export function decideRecordReport(command: RecordReport, context: DecisionContext): RecordReportDecision {
  const { report, reportHash } = command;
  const existing = context.report(report.reportId);
  if (existing.status === 'recorded') {
    if (existing.reportHash === reportHash) return { outcome: 'already-recorded' };
    throw new DomainError(
      'REPORT_ID_CONFLICT',
      'conflict',
      `Report "${report.reportId}" is already recorded with different content; use a new reportId for a new report`,
      'reportId',
    );
  }

  // States touched by this report, evolved claim by claim over the recorded ones.
  const players = new Map<Slug, PlayerState>();
  const threads = new Map<string, ClubPlayerClaims>();
  const staffs = new Map<Slug, ClubStaff>();
  const playerState = (slug: Slug) => players.get(slug) ?? context.player(slug);
  const staffOf = (club: Slug) => staffs.get(club) ?? context.clubStaff(club);
  const claimsAbout = (club: Slug, player: Slug) =>
    threads.get(clubPlayerKey(club, player)) ?? context.clubPlayerClaims(club, player);

  const events = report.claims.map((claim, claimIndex): SquadEvent => {
    const field = (name: string) => `claims[${claimIndex}].${name}`;
    // where the player is on the claim's own day, as the read models would show it just before
    const day = claimDay(claim, report.publishedOn);
    const registration = (slug: Slug) => registrationOn(playerState(slug), day, report.publishedOn);
    const historical = isHistoricalRecord(report.source);
    const moveContradicts = [
      ...checkClaim(claim, registration, historical, field),
      ...checkStaff(claim, (club) => managerOn(staffOf(club), day), historical, field),
    ];
    const metadata: Provenance = {
      reportId: report.reportId,
      source: report.source,
      publishedOn: report.publishedOn,
      publishedOnApprox: report.publishedOnApprox,
      claimIndex,
      claimCount: report.claims.length,
      reportHash,
      ...(claimIndex === 0 && report.evidence && report.evidence.length > 0 ? { evidence: report.evidence } : {}),
    };
    const { type, effectiveOn, effectiveOnApprox, ...fields } = claim;
    const contradicts = [...moveContradicts, ...contradictionsOf(claim, registration, claimsAbout)].filter(
      (ref) => ref.reportId !== report.reportId,
    );
    const event = {
      type,
      data: {
        ...fields,
        effectiveOn: claimDay(claim, report.publishedOn),
        ...(effectiveOnApprox === true || claim.effectiveBetween?.to !== undefined ? { effectiveOnApprox: true } : {}),
        ...(contradicts.length ? { contradicts } : {}),
      },
      metadata,
    } as SquadEvent;

    const player = playerOf(event);
    if (player) players.set(player, evolvePlayer(playerState(player), event));
    const staffClub = staffClubOf(event);
    if (staffClub) staffs.set(staffClub, evolveClubStaff(staffOf(staffClub), event));
    const subject = clubPlayerSubjectOf(event.type, event.data);
    if (subject) {
      threads.set(
        clubPlayerKey(subject.club, subject.player),
        evolveClubPlayerClaims(claimsAbout(subject.club, subject.player), event),
      );
    }
    return event;
  });
  // A back-dated move must leave him where the next move needs him: checked once the whole report
  // is applied, so a report may tell a round trip (sold in February, bought back in March).
  const historical = isHistoricalRecord(report.source);
  const checked = events.map((event, claimIndex) => {
    const claim = report.claims[claimIndex];
    const day = event.data.effectiveOn;
    const later = checkLaterMove(
      claim,
      (slug) => nextMoveNeedingClub(playerState(slug), day, report.publishedOn),
      historical,
      (name) => `claims[${claimIndex}].${name}`,
    ).filter((ref) => ref.reportId !== report.reportId);
    if (later.length === 0) return event;
    const contradicts = [...(event.data.contradicts ?? []), ...later];
    return { ...event, data: { ...event.data, contradicts } } as SquadEvent;
  });
  return { outcome: 'recorded', events: checked };
}

/**
 * Refuses a claim that breaks an invariant, or returns the claims a historical record
 * contradicts where a news report would be refused (see `isHistoricalRecord`).
 */
function checkClaim(
  claim: Claim,
  registration: (slug: Slug) => Registration,
  historical: boolean,
  field: (name: string) => string,
): readonly ClaimRef[] {
  const sameClub = (a: Slug, b: Slug, name: string): readonly ClaimRef[] => {
    if (a === b) {
      throw new DomainError(
        'SAME_CLUB_ON_BOTH_SIDES',
        'invalid',
        `${claim.type} names ${a} on both sides`,
        field(name),
      );
    }
    return [];
  };
  /** A move away from `fromClub` needs him registered there on its day. */
  const leaves = (player: Slug, fromClub: Slug, verb: string): readonly ClaimRef[] => {
    const at = registration(player);
    if (at.status === 'registered' && at.club === fromClub) return [];
    if (historical)
      return at.status === 'registered' ? [at.registeredBy] : at.status === 'without-club' ? [at.leftBy] : [];
    const where =
      at.status === 'registered'
        ? `registered at ${at.club}`
        : at.status === 'without-club'
          ? 'at no club (he left football or his club)'
          : 'not registered at any club';
    throw new DomainError(
      'PLAYER_NOT_AT_CLUB',
      'conflict',
      `${player} cannot ${verb} ${fromClub} on ${claim.effectiveOn ?? 'the day of the report'}: he is ${where} then`,
      field('fromClub'),
    );
  };
  switch (claim.type) {
    case 'TransferCompleted':
      sameClub(claim.fromClub, claim.toClub, 'toClub');
      return leaves(claim.player, claim.fromClub, 'be transferred from');
    case 'PlayerReleased':
      return leaves(claim.player, claim.fromClub, 'leave');
    case 'PlayerRetired':
      return claim.fromClub === undefined ? [] : leaves(claim.player, claim.fromClub, 'retire from');
    case 'BidSubmitted': {
      sameClub(claim.club, claim.toClub, 'toClub');
      const at = registration(claim.player);
      if (at.status === 'registered' && at.club === claim.club) {
        throw new DomainError(
          'PLAYER_ALREADY_AT_CLUB',
          'conflict',
          `${claim.club} cannot bid for ${claim.player}: he is already registered at ${claim.club}`,
          field('club'),
        );
      }
      return [];
    }
    case 'TalksRequested':
      return sameClub(claim.club, claim.withClub, 'withClub');
    case 'TalksRefused':
      return sameClub(claim.club, claim.byClub, 'byClub');
    case 'BidRejected':
      return sameClub(claim.club, claim.byClub, 'byClub');
    case 'ClaimDisputed':
      if (claim.disputedType === 'ClaimDisputed') {
        throw new DomainError(
          'DISPUTE_OF_A_DISPUTE',
          'invalid',
          'a dispute names the claim type it disputes, not another dispute',
          field('disputedType'),
        );
      }
      return [];
    case 'ClubProfileReported':
      if (claim.parentClub === claim.club) {
        throw new DomainError(
          'CLUB_IS_ITS_OWN_PARENT',
          'invalid',
          `${claim.club} cannot be its own first team: parentClub names the club of a youth or reserve side`,
          field('parentClub'),
        );
      }
      return [];
    // nothing to check beyond the fields: contradictions are flagged, not refused
    case 'PlayerRegistered':
    case 'InterestDeclared':
    case 'PursuitAbandoned':
    case 'InterestRenewalExpected':
    case 'PlayerInjured':
    case 'PlayerReturnedFromInjury':
    case 'LoanReturned':
    case 'LoanDeparted':
    case 'OutgoingCandidateFlagged':
    case 'ContractRecorded':
    case 'ContractExtended':
    case 'MarketValueReported':
    case 'ManagerAppointed':
    case 'ManagerDeparted':
    case 'NotForSale':
    case 'PlayerProfileReported':
      return [];
    default:
      return assertNever(claim);
  }
}

/**
 * A manager leaves only the club he manages on the departure's day: refused for a news report
 * (409), recorded and flagged with the appointment it contradicts for a historical record.
 */
function checkStaff(
  claim: Claim,
  managerAt: (club: Slug) => ReturnType<typeof managerOn>,
  historical: boolean,
  field: (name: string) => string,
): readonly ClaimRef[] {
  if (claim.type !== 'ManagerDeparted') return [];
  const current = managerAt(claim.club);
  if (current?.manager === claim.manager) return [];
  if (historical) return current ? [current.appointedBy] : [];
  const who = current ? `its manager then is ${current.manager}` : 'no manager of it is recorded then';
  throw new DomainError(
    'MANAGER_NOT_AT_CLUB',
    'conflict',
    `${claim.manager} cannot leave ${claim.club} on ${claim.effectiveOn ?? 'the day of the report'}: ${who}`,
    field('manager'),
  );
}

/**
 * A move back-dated before later moves must leave him where the next of them needs him (a
 * transfer from Ajax effective 1 February breaks the Ajax → Marseille of 1 March). Refused for a
 * news report; a historical record, or a registration, is recorded and flagged.
 */
function checkLaterMove(
  claim: Claim,
  nextMove: (slug: Slug) => { readonly from: Slug; readonly by: ClaimRef } | undefined,
  historical: boolean,
  field: (name: string) => string,
): readonly ClaimRef[] {
  /** Where the claim leaves him, for the claims that move him (released or retired: nowhere). */
  let leavesAt: Slug | undefined;
  if (claim.type === 'TransferCompleted') leavesAt = claim.toClub;
  else if (claim.type === 'PlayerRegistered') leavesAt = claim.club;
  else if (claim.type !== 'PlayerReleased' && claim.type !== 'PlayerRetired') return [];
  const next = nextMove(claim.player);
  if (!next || next.from === leavesAt) return [];
  if (historical || claim.type === 'PlayerRegistered') return [next.by];
  throw new DomainError(
    'CONTRADICTS_LATER_MOVE',
    'conflict',
    `${claim.type} would leave ${claim.player} ${leavesAt ? `at ${leavesAt}` : 'at no club'}, but a later ${next.by.type} (report ${next.by.reportId}) has him leave ${next.from}`,
    field('effectiveOn'),
  );
}

/** Earlier claims this claim contradicts, or that contradict it. */
function contradictionsOf(
  claim: Claim,
  registration: (slug: Slug) => Registration,
  claimsAbout: (club: Slug, player: Slug) => ClubPlayerClaims,
): readonly ClaimRef[] {
  if (claim.type === 'PlayerRegistered') {
    const at = registration(claim.player);
    return at.status === 'registered' && at.club !== claim.club ? [at.registeredBy] : [];
  }
  const subject = clubPlayerSubjectOf(claim.type, claim);
  if (!subject) return [];
  const thread = claimsAbout(subject.club, subject.player);
  return claim.type === 'ClaimDisputed'
    ? (thread.claims[claim.disputedType] ?? [])
    : (thread.disputes[claim.type] ?? []);
}

/**
 * The write side's view of the ledger: the small aggregate states the decider reads, kept up
 * to date by applying each recorded event once, in order. Each state is evolved by its pure
 * `evolve`; this class only files them by id.
 */
export class LedgerState implements DecisionContext {
  private readonly reports = new Map<string, ReportState>();
  private readonly players = new Map<Slug, PlayerState>();
  private readonly threads = new Map<string, ClubPlayerClaims>();
  private readonly staffs = new Map<Slug, ClubStaff>();

  /**
   * `base` answers for the states before this ledger's first event: none for canonical history;
   * for a what-if branch, canonical history as of its fork. Events are evolved on top of it.
   */
  constructor(private readonly base?: DecisionContext) {}

  apply(event: SquadEvent): void {
    this.reports.set(event.metadata.reportId, { status: 'recorded', reportHash: event.metadata.reportHash });
    const player = playerOf(event);
    if (player) this.players.set(player, evolvePlayer(this.player(player), event));
    const staffClub = staffClubOf(event);
    if (staffClub) this.staffs.set(staffClub, evolveClubStaff(this.clubStaff(staffClub), event));
    const subject = clubPlayerSubjectOf(event.type, event.data);
    if (subject) {
      const key = clubPlayerKey(subject.club, subject.player);
      this.threads.set(
        key,
        evolveClubPlayerClaims(this.threads.get(key) ?? this.clubPlayerClaims(subject.club, subject.player), event),
      );
    }
  }

  report(reportId: string): ReportState {
    return this.reports.get(reportId) ?? this.base?.report(reportId) ?? { status: 'new' };
  }
  player(player: Slug): PlayerState {
    return this.players.get(player) ?? this.base?.player(player) ?? initialPlayerState();
  }
  clubStaff(club: Slug): ClubStaff {
    return this.staffs.get(club) ?? this.base?.clubStaff(club) ?? initialClubStaff();
  }
  clubPlayerClaims(club: Slug, player: Slug): ClubPlayerClaims {
    return (
      this.threads.get(clubPlayerKey(club, player)) ??
      this.base?.clubPlayerClaims(club, player) ??
      initialClubPlayerClaims()
    );
  }
}

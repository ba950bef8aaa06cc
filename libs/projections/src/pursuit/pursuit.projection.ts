import type { IsoDate, Priority, Slug } from '@squad/domain';
import { assertNever } from '@squad/domain';
import type { ProjectedEvent, ReportInfo, RouteTable } from '../read-model/projected-event';
import { latestReport } from '../staleness/staleness';
import { approximateDay, type ApproximateDay } from '../history/approximate-day';

/**
 * How far a club's pursuit of a player went. (`negotiating` and `agreed` come with the claims
 * that would produce them: no claim type says talks opened or terms were agreed yet.)
 */
export const STAGES = [
  'monitoring',
  'interest',
  'talks-requested',
  'talks-refused',
  'bid',
  'signed',
  'abandoned',
  // he joined another club while it was open (see `pursuitOn`)
  'lost',
] as const;
export type Stage = (typeof STAGES)[number] | 'none';

const RANK: Record<Stage, number> = {
  none: 0,
  monitoring: 1,
  interest: 2,
  'talks-requested': 3,
  'talks-refused': 4,
  bid: 5,
  signed: 7,
  abandoned: 7,
  lost: 7,
};

export const isOpen = (stage: Stage) =>
  stage !== 'none' && stage !== 'signed' && stage !== 'abandoned' && stage !== 'lost';

/** One club's pursuit of one player on one valid day. */
export interface PursuitView {
  readonly club: Slug;
  readonly player: Slug;
  readonly stage: Stage;
  readonly priority?: Priority;
  readonly since?: IsoDate;
  readonly sinceApprox?: true;
  readonly sinceBetween?: ApproximateDay<'since'>['sinceBetween'];
  /** Valid day of the latest fact about this pursuit. */
  readonly lastNewsOn?: IsoDate;
  /** The latest report about this pursuit by publication day (record time): how old its news is. */
  readonly latestReport?: ReportInfo;
  readonly renewalExpectedFrom?: IsoDate;
  /** What the renewal depends on: in words, and the club's manager whose staying it hinges on. */
  readonly renewalCondition?: { readonly condition?: string; readonly dependsOnManager?: string };
  /** The move that ended it, when he joined another club while it was open (stage `lost`). */
  readonly lostTo?: { readonly club: Slug; readonly on: IsoDate; readonly report: ReportInfo };
  readonly lastBid?: {
    readonly amountEur: number;
    readonly on: IsoDate;
    readonly rejected: boolean;
  } & ApproximateDay<'on'>;
}

export const initialPursuitView = (club: Slug, player: Slug) => (): PursuitView => ({ club, player, stage: 'none' });

const byClub = (data: { club: Slug }): Slug => data.club;

/**
 * The club whose pursuit of the event's player each claim type updates (a pursuit is filed in
 * the player's history: see `pursuitsOf`), or null for claims that are not about a pursuit,
 * even when they name a club and a player (a registration, a contract, a flag to sell him).
 */
export const PURSUIT_ROUTES: RouteTable<Slug> = {
  InterestDeclared: byClub,
  TalksRequested: byClub,
  TalksRefused: byClub,
  BidSubmitted: byClub,
  BidRejected: byClub,
  PursuitAbandoned: byClub,
  InterestRenewalExpected: byClub,
  // a dispute of a pursuit's claim is shown among that pursuit's evidence
  ClaimDisputed: byClub,
  // a completed transfer is the buyer's pursuit signed
  TransferCompleted: (data) => data.toClub,
  PlayerRegistered: null,
  OutgoingCandidateFlagged: null,
  ContractRecorded: null,
  ContractExtended: null,
  // the holder's stance, shown on every pursuit of him through his own view
  NotForSale: null,
  ManagerDeparted: null,
  PlayerInjured: null,
  PlayerReturnedFromInjury: null,
  LoanReturned: null,
  LoanDeparted: null,
  MarketValueReported: null,
  ManagerAppointed: null,
  PlayerReleased: null,
  PlayerRetired: null,
  PlayerProfileReported: null,
  ClubProfileReported: null,
};

/**
 * Stages only move forward within a pursuit; interest after an end starts a new pursuit (whose
 * news starts with it: `latestReport` is not carried over).
 */
/** A claim's valid time, as `advance` dates a new pursuit by it. */
type ValidTime = { readonly effectiveOn: IsoDate } & Parameters<typeof approximateDay>[1];

function advance(view: PursuitView, stage: Stage, data: ValidTime): PursuitView {
  if (!isOpen(view.stage)) return { ...newPursuit(view, stage, data), lastNewsOn: view.lastNewsOn };
  return RANK[stage] > RANK[view.stage] ? { ...view, stage } : view;
}

/** A pursuit beginning with this claim: dated by it, approximately when the claim is. */
function newPursuit(view: PursuitView, stage: Stage, data: ValidTime): PursuitView {
  return { club: view.club, player: view.player, stage, since: data.effectiveOn, ...approximateDay('since', data) };
}

export function evolvePursuitView(view: PursuitView, event: ProjectedEvent): PursuitView {
  const next = evolveStage(view, event);
  const lastNewsOn = event.data.effectiveOn;
  const latest = latestReport(next.latestReport, event.report);
  return next.lastNewsOn === lastNewsOn && next.latestReport === latest
    ? next
    : { ...next, lastNewsOn, latestReport: latest };
}

function evolveStage(view: PursuitView, event: ProjectedEvent): PursuitView {
  const on = event.data.effectiveOn;
  switch (event.type) {
    case 'InterestDeclared': {
      const stage = event.data.priority === 'low' ? 'monitoring' : 'interest';
      const next = advance(view, stage, event.data);
      return event.data.priority ? { ...next, priority: event.data.priority } : next;
    }
    case 'TalksRequested':
      return advance(view, 'talks-requested', event.data);
    case 'TalksRefused':
      return advance(view, 'talks-refused', event.data);
    case 'BidSubmitted':
      return {
        ...advance(view, 'bid', event.data),
        lastBid: { amountEur: event.data.amountEur, on, ...approximateDay('on', event.data), rejected: false },
      };
    case 'BidRejected':
      return view.lastBid ? { ...view, lastBid: { ...view.lastBid, rejected: true } } : view;
    case 'PursuitAbandoned':
      return isOpen(view.stage) ? { ...view, stage: 'abandoned' } : view;
    case 'InterestRenewalExpected': {
      const { expectedFrom, condition, dependsOnManager } = event.data;
      const { renewalCondition: _previous, ...rest } =
        view.stage === 'none' ? { ...view, ...newPursuit(view, 'monitoring', event.data) } : view;
      return {
        ...rest,
        renewalExpectedFrom: expectedFrom,
        ...(condition !== undefined || dependsOnManager !== undefined
          ? {
              renewalCondition: {
                ...(condition !== undefined ? { condition } : {}),
                ...(dependsOnManager !== undefined ? { dependsOnManager } : {}),
              },
            }
          : {}),
      };
    }
    case 'TransferCompleted':
      // signing straight after an ended pursuit (or none) is a pursuit of its own
      return isOpen(view.stage) ? { ...view, stage: 'signed' } : newPursuit(view, 'signed', event.data);
    // shown as evidence (see the target list), without moving the stage
    case 'ClaimDisputed':
      return view;
    // not pursuit claims: PURSUIT_ROUTES never files them here
    case 'PlayerRegistered':
    case 'OutgoingCandidateFlagged':
    case 'ContractRecorded':
    case 'ContractExtended':
    case 'NotForSale':
    case 'ManagerDeparted':
    case 'PlayerInjured':
    case 'PlayerReturnedFromInjury':
    case 'LoanReturned':
    case 'LoanDeparted':
    case 'MarketValueReported':
    case 'ManagerAppointed':
    case 'PlayerReleased':
    case 'PlayerRetired':
    case 'PlayerProfileReported':
    case 'ClubProfileReported':
      return view;
    default:
      return assertNever(event);
  }
}

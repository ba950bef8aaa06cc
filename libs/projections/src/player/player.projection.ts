import {
  assertNever,
  type ClaimType,
  type IsoDate,
  type Position,
  type PreferredFoot,
  type ReleaseReason,
  type Slug,
} from '@squad/domain';
import type { ProjectedEvent, ReportInfo, RouteTable } from '../read-model/projected-event';
import { approximateDay, type ApproximateDay } from '../history/approximate-day';
import { latestReport } from '../staleness/staleness';

/** A player on one valid day: where he is registered, fit or not, away or not. */
export interface PlayerView {
  readonly player: Slug;
  readonly name?: string;
  /** The club he is registered at. */
  readonly club?: Slug;
  readonly position?: Position;
  readonly secondaryPositions?: readonly Position[];
  readonly nationality?: string;
  /** Approximate when only his age on a day was reported. */
  readonly birthYear?: number;
  readonly birthDate?: IsoDate;
  readonly internationalCaps?: number;
  readonly preferredFoot?: PreferredFoot;
  /** The club he captains, since when (it ends when he leaves that club). */
  readonly captaincy?: { readonly club: Slug; readonly since: IsoDate } & ApproximateDay<'since'>;
  /** His club's stance that he is not for sale (it ends when he moves). */
  readonly notForSale?: {
    readonly club: Slug;
    readonly since: IsoDate;
    readonly reason?: string;
    readonly report: ReportInfo;
  } & ApproximateDay<'since'>;
  /** His latest permanent move: the club he joined, when, and the report of it (it ends other clubs' pursuits). */
  readonly joined?: { readonly club: Slug; readonly on: IsoDate; readonly report: ReportInfo };
  /** Why he is at no club (after a release or his retirement), and since when. */
  readonly leftFootball?: {
    readonly reason: ReleaseReason | 'retired';
    readonly fromClub?: Slug;
    readonly on: IsoDate;
  } & ApproximateDay<'on'>;
  readonly loan?: {
    readonly toClub: Slug;
    readonly since: IsoDate;
    readonly until?: IsoDate;
    readonly optionToBuyEur?: number;
    readonly obligationToBuy?: boolean;
  } & ApproximateDay<'since'>;
  /** The latest report about his loan (its start, an extension, a dispute): how old our news of it is. */
  readonly loanNews?: ReportInfo;
  readonly returnedFromLoan?: { readonly fromClub: Slug; readonly on: IsoDate } & ApproximateDay<'on'>;
  readonly injury?: {
    readonly injury?: string;
    readonly since: IsoDate;
    readonly expectedReturnOn?: IsoDate;
  } & ApproximateDay<'since'>;
  /** The latest report about his injury (it, an update, a dispute): how old our news of it is. */
  readonly injuryNews?: ReportInfo;
  /** His contract: with whom, to when, and since when it runs to then (`extendedOn`: by an extension). */
  readonly contract?: {
    readonly club: Slug;
    readonly expiresOn: IsoDate;
    readonly extendedOn?: IsoDate;
  } & ApproximateDay<'extendedOn'>;
  readonly valuation?: {
    readonly valueEur: number;
    readonly on: IsoDate;
    readonly report: ReportInfo;
  } & ApproximateDay<'on'>;
  /** Clubs that have flagged him as a candidate to leave, with why. */
  readonly outgoing: Readonly<
    Record<
      Slug,
      { readonly reason: string; readonly since: IsoDate; readonly report: ReportInfo } & ApproximateDay<'since'>
    >
  >;
}

export const initialPlayerView = (player: Slug) => (): PlayerView => ({ player, outgoing: {} });

const byPlayer = (data: { player: Slug }): Slug => data.player;

/**
 * The player whose history files each claim type: every claim about a player, so that his
 * timeline shows them all (his pursuits are read from the same facts, see `PURSUIT_ROUTES`).
 */
export const PLAYER_ROUTES: RouteTable<Slug> = {
  PlayerRegistered: byPlayer,
  InterestDeclared: byPlayer,
  TalksRequested: byPlayer,
  TalksRefused: byPlayer,
  BidSubmitted: byPlayer,
  BidRejected: byPlayer,
  PursuitAbandoned: byPlayer,
  InterestRenewalExpected: byPlayer,
  PlayerInjured: byPlayer,
  PlayerReturnedFromInjury: byPlayer,
  LoanReturned: byPlayer,
  LoanDeparted: byPlayer,
  OutgoingCandidateFlagged: byPlayer,
  ContractRecorded: byPlayer,
  ContractExtended: byPlayer,
  NotForSale: byPlayer,
  MarketValueReported: byPlayer,
  TransferCompleted: byPlayer,
  ClaimDisputed: byPlayer,
  PlayerReleased: byPlayer,
  PlayerRetired: byPlayer,
  PlayerProfileReported: byPlayer,
  // about a club (its staff, its names), not a player
  ManagerAppointed: null,
  ManagerDeparted: null,
  ClubProfileReported: null,
};

export function evolvePlayerView(view: PlayerView, event: ProjectedEvent): PlayerView {
  const on = event.data.effectiveOn;
  switch (event.type) {
    case 'PlayerRegistered': {
      const { name, club, position, secondaryPositions } = event.data;
      return {
        ...view,
        name,
        club,
        position,
        secondaryPositions: secondaryPositions ?? [],
        leftFootball: undefined,
      };
    }
    case 'PlayerProfileReported': {
      const { name, position, secondaryPositions, nationality, birthYear, birthDate } = event.data;
      const { internationalCaps, preferredFoot, captainOf } = event.data;
      return {
        ...view,
        ...(name !== undefined ? { name } : {}),
        ...(position !== undefined ? { position } : {}),
        ...(secondaryPositions !== undefined ? { secondaryPositions } : {}),
        ...(nationality !== undefined ? { nationality } : {}),
        // a birth date says the year too
        ...(birthDate !== undefined ? { birthDate, birthYear: Number(birthDate.slice(0, 4)) } : {}),
        ...(birthYear !== undefined && birthDate === undefined ? { birthYear } : {}),
        ...(internationalCaps !== undefined ? { internationalCaps } : {}),
        ...(preferredFoot !== undefined ? { preferredFoot } : {}),
        ...(captainOf !== undefined
          ? { captaincy: { club: captainOf, since: on, ...approximateDay('since', event.data) } }
          : {}),
      };
    }
    case 'PlayerReleased':
    case 'PlayerRetired': {
      // he leaves every squad: his club's, and the one he was on loan at
      const reason = event.type === 'PlayerRetired' ? 'retired' : (event.data.reason ?? 'released');
      const { fromClub } = event.data;
      return {
        ...view,
        club: undefined,
        loan: undefined,
        loanNews: undefined,
        captaincy: undefined,
        notForSale: undefined,
        leftFootball: {
          reason,
          ...(fromClub !== undefined ? { fromClub } : {}),
          on,
          ...approximateDay('on', event.data),
        },
      };
    }
    case 'TransferCompleted': {
      // a sold player leaves the seller's outgoing list (and any old flag of the buyer's), and any loan ends
      const { [event.data.fromClub]: _sold, [event.data.toClub]: _stale, ...outgoing } = view.outgoing;
      // he leaves the seller: its armband, its stance that he was not for sale, and a contract with it
      return {
        ...view,
        club: event.data.toClub,
        joined: { club: event.data.toClub, on, report: event.report },
        loan: undefined,
        loanNews: undefined,
        leftFootball: undefined,
        outgoing,
        captaincy: view.captaincy?.club === event.data.toClub ? view.captaincy : undefined,
        notForSale: undefined,
        contract: view.contract?.club === event.data.toClub ? view.contract : undefined,
      };
    }
    case 'LoanDeparted': {
      const { toClub, until, optionToBuyEur, obligationToBuy } = event.data;
      return {
        ...view,
        loan: {
          toClub,
          since: on,
          ...approximateDay('since', event.data),
          ...(until ? { until } : {}),
          ...(optionToBuyEur !== undefined ? { optionToBuyEur } : {}),
          ...(obligationToBuy !== undefined ? { obligationToBuy } : {}),
        },
        // the same loan reported again (an extension) is news of it; a loan elsewhere is a new one
        loanNews: view.loan?.toClub === toClub ? latestReport(view.loanNews, event.report) : event.report,
      };
    }
    case 'LoanReturned':
      return {
        ...view,
        loan: undefined,
        loanNews: undefined,
        returnedFromLoan: { fromClub: event.data.fromClub, on, ...approximateDay('on', event.data) },
      };
    case 'PlayerInjured':
      return {
        ...view,
        injury: {
          since: on,
          ...approximateDay('since', event.data),
          injury: event.data.injury,
          expectedReturnOn: event.data.expectedReturnOn,
        },
        // an update of the injury he has is news of it
        injuryNews: view.injury ? latestReport(view.injuryNews, event.report) : event.report,
      };
    case 'PlayerReturnedFromInjury':
      return { ...view, injury: undefined, injuryNews: undefined };
    case 'ClaimDisputed':
      return disputed(view, event.data.disputedType, event.report);
    case 'ContractRecorded':
      return { ...view, contract: { club: event.data.club, expiresOn: event.data.expiresOn } };
    case 'ContractExtended':
      return {
        ...view,
        contract: {
          club: event.data.club,
          expiresOn: event.data.expiresOn,
          extendedOn: on,
          ...approximateDay('extendedOn', event.data),
        },
      };
    case 'NotForSale': {
      const { club, reason } = event.data;
      return {
        ...view,
        notForSale: {
          club,
          since: on,
          ...approximateDay('since', event.data),
          ...(reason !== undefined ? { reason } : {}),
          report: event.report,
        },
      };
    }
    case 'MarketValueReported':
      return {
        ...view,
        valuation: { valueEur: event.data.valueEur, on, ...approximateDay('on', event.data), report: event.report },
      };
    case 'OutgoingCandidateFlagged':
      return {
        ...view,
        outgoing: {
          ...view.outgoing,
          [event.data.club]: {
            reason: event.data.reason,
            since: on,
            ...approximateDay('since', event.data),
            report: event.report,
          },
        },
      };
    case 'InterestDeclared':
    case 'TalksRequested':
    case 'TalksRefused':
    case 'BidSubmitted':
    case 'BidRejected':
    case 'PursuitAbandoned':
    case 'InterestRenewalExpected':
    case 'ManagerAppointed':
    case 'ManagerDeparted':
    case 'ClubProfileReported':
      return view;
    default:
      return assertNever(event);
  }
}

/** A report disputing his injury or his loan is news of it too (it changes nothing else here). */
function disputed(view: PlayerView, type: ClaimType, report: ReportInfo): PlayerView {
  if (view.injury && (type === 'PlayerInjured' || type === 'PlayerReturnedFromInjury')) {
    return { ...view, injuryNews: latestReport(view.injuryNews, report) };
  }
  if (view.loan && (type === 'LoanDeparted' || type === 'LoanReturned')) {
    return { ...view, loanNews: latestReport(view.loanNews, report) };
  }
  return view;
}

export type PlayerStatus = 'available' | 'injured' | 'away-on-loan' | 'on-loan-here';

/** A player's status at `club` on `asOf` (a loan ends by itself after its `until` date). */
export function statusAt(view: PlayerView, club: Slug, asOf: IsoDate): { status: PlayerStatus; member: boolean } {
  const loan = view.loan && (!view.loan.until || asOf <= view.loan.until) ? view.loan : undefined;
  if (view.club === club) {
    if (loan && loan.toClub !== club) return { status: 'away-on-loan', member: true };
    return { status: view.injury ? 'injured' : 'available', member: true };
  }
  if (loan?.toClub === club) return { status: view.injury ? 'injured' : 'on-loan-here', member: true };
  return { status: 'available', member: false };
}

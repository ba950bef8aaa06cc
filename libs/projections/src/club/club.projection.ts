import { assertNever, type IsoDate, type ManagerDepartureReason, type Slug } from '@squad/domain';
import type { ProjectedEvent, ReportInfo, RouteTable } from '../read-model/projected-event';
import { approximateDay, type ApproximateDay } from '../history/approximate-day';

/** A club on one valid day: who it is and who coaches it. */
export interface ClubView {
  readonly club: Slug;
  /** Its usual name (the latest reported). */
  readonly name?: string;
  /** Every other name it has been reported under, in the order first reported (a former name stays one). */
  readonly aliases: readonly string[];
  readonly country?: string;
  /** For a youth or reserve side: the first team it belongs to. */
  readonly parentClub?: Slug;
  readonly manager?: {
    readonly name: string;
    readonly since: IsoDate;
    /** The formation he prefers, when a report gave it. */
    readonly formation?: string;
    readonly report: ReportInfo;
  } & ApproximateDay<'since'>;
  /** The last manager who left, while no successor is reported. */
  readonly formerManager?: {
    readonly name: string;
    readonly until: IsoDate;
    readonly reason?: ManagerDepartureReason;
    readonly report: ReportInfo;
  } & ApproximateDay<'until'>;
}

export const initialClubView = (club: Slug) => (): ClubView => ({ club, aliases: [] });

const ownClub = (data: { club: Slug }): Slug => data.club;

/** The club whose own history files each claim type: claims about the club itself, not its players. */
export const CLUB_ROUTES: RouteTable<Slug> = {
  ManagerAppointed: ownClub,
  ManagerDeparted: ownClub,
  ClubProfileReported: ownClub,
  PlayerRegistered: null,
  InterestDeclared: null,
  TalksRequested: null,
  TalksRefused: null,
  BidSubmitted: null,
  BidRejected: null,
  PursuitAbandoned: null,
  InterestRenewalExpected: null,
  PlayerInjured: null,
  PlayerReturnedFromInjury: null,
  LoanReturned: null,
  LoanDeparted: null,
  OutgoingCandidateFlagged: null,
  ContractRecorded: null,
  ContractExtended: null,
  NotForSale: null,
  MarketValueReported: null,
  TransferCompleted: null,
  PlayerReleased: null,
  PlayerRetired: null,
  PlayerProfileReported: null,
  ClaimDisputed: null,
};

export function evolveClubView(view: ClubView, event: ProjectedEvent): ClubView {
  switch (event.type) {
    case 'ClubProfileReported': {
      const { name, aliases, country, parentClub } = event.data;
      const current = name ?? view.name;
      // names accumulate: a club found under a spelling once is found under it for good
      const known = [...view.aliases, ...(view.name !== undefined ? [view.name] : []), ...(aliases ?? [])];
      return {
        ...view,
        ...(current !== undefined ? { name: current } : {}),
        aliases: [...new Set(known)].filter((alias) => alias !== current),
        ...(country !== undefined ? { country } : {}),
        ...(parentClub !== undefined ? { parentClub } : {}),
      };
    }
    case 'ManagerAppointed': {
      const { manager: name, formation, effectiveOn: since } = event.data;
      const { formerManager: _succeeded, ...rest } = view;
      return {
        ...rest,
        manager: {
          name,
          since,
          ...approximateDay('since', event.data),
          ...(formation !== undefined ? { formation } : {}),
          report: event.report,
        },
      };
    }
    case 'ManagerDeparted': {
      // a departure of someone else (a report about a predecessor) leaves the manager in place
      if (view.manager?.name !== event.data.manager) return view;
      const { manager: _left, ...rest } = view;
      const { reason, effectiveOn: until } = event.data;
      return {
        ...rest,
        formerManager: {
          name: event.data.manager,
          until,
          ...approximateDay('until', event.data),
          ...(reason !== undefined ? { reason } : {}),
          report: event.report,
        },
      };
    }
    // not about the club itself: CLUB_ROUTES never files them here
    case 'PlayerRegistered':
    case 'InterestDeclared':
    case 'TalksRequested':
    case 'TalksRefused':
    case 'BidSubmitted':
    case 'BidRejected':
    case 'PursuitAbandoned':
    case 'InterestRenewalExpected':
    case 'PlayerInjured':
    case 'PlayerReturnedFromInjury':
    case 'LoanReturned':
    case 'LoanDeparted':
    case 'OutgoingCandidateFlagged':
    case 'ContractRecorded':
    case 'ContractExtended':
    case 'NotForSale':
    case 'MarketValueReported':
    case 'TransferCompleted':
    case 'PlayerReleased':
    case 'PlayerRetired':
    case 'PlayerProfileReported':
    case 'ClaimDisputed':
      return view;
    default:
      return assertNever(event);
  }
}

import type { ClaimType, IsoDate, Source, SquadEventOf } from '@squad/domain';
import type { Fact } from '../history/bitemporal-history';

/**
 * A squad event as the read models keep it: its claim, the report it came from, and its
 * place in both clocks (it is the fact filed in every history it belongs to: one object per
 * event, shared). Provenance shared by all claims of a report is kept once (see `ReportInfo`).
 */
export type ProjectedEvent = {
  [T in ClaimType]: ProjectedEventOf<T>;
}[ClaimType];

export type ProjectedEventOf<T extends ClaimType> = Pick<SquadEventOf<T>, 'type' | 'data'> &
  Fact & {
    readonly reportId: string;
    /** The report it came from (shared by the report's claims): its source and dates without a look-up. */
    readonly report: ReportInfo;
    readonly claimIndex: number;
  };

/** The data of an event of type `T`: its claim's fields, `effectiveOn` and `contradicts`. */
export type EventData<T extends ClaimType> = SquadEventOf<T>['data'];

/**
 * How one projection files each claim type: a function of the event's data that names the
 * document it updates, or null when the projection does not take that type. Every table is
 * keyed by every claim type, so a new claim type does not compile until each projection has
 * decided where it goes (see CONTRIBUTING.md).
 */
export type RouteTable<Key> = { readonly [T in ClaimType]: ((data: EventData<T>) => Key) | null };

export interface ReportInfo {
  readonly reportId: string;
  readonly source: Source;
  readonly publishedOn: IsoDate;
  readonly publishedOnApprox: boolean;
  /** Store position of the report's first claim (its claims are stored together, in order). */
  readonly position: number;
  readonly claimCount: number;
  /** Where in the source its facts are read (see `Report.evidence`). */
  readonly evidence?: readonly string[];
}

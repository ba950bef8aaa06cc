import type { ClaimType, IsoDate, Source, SquadEventOf } from '@squad/domain';
import type { Fact } from './bitemporal-history';

/**
 * A squad event as the read models keep it: its claim, the report it came from, and its
 * place in both clocks (it is the fact filed in every history it belongs to: one object per
 * event, shared). Provenance shared by all claims of a report is kept once (see `ReportInfo`).
 */
export type ProjectedEvent = {
  [T in ClaimType]: Pick<SquadEventOf<T>, 'type' | 'data'> &
    Fact & {
      readonly reportId: string;
      /** The report it came from (shared by the report's claims): its source and dates without a look-up. */
      readonly report: ReportInfo;
      readonly claimIndex: number;
    };
}[ClaimType];

export interface ReportInfo {
  readonly reportId: string;
  readonly source: Source;
  readonly publishedOn: IsoDate;
  readonly publishedOnApprox: boolean;
  /** Store position of the report's first claim (its claims are stored together, in order). */
  readonly position: number;
  readonly claimCount: number;
}

import type { ClaimType, IsoDate, Source, SquadEventOf } from '@squad/domain';

/**
 * A squad event as the read models keep it: its claim, plus the report it came from by id.
 * Provenance shared by all claims of a report is kept once per report (see `ReportInfo`).
 */
export type ProjectedEvent = {
  [T in ClaimType]: Pick<SquadEventOf<T>, 'type' | 'data'> & {
    readonly reportId: string;
    readonly claimIndex: number;
    readonly position: number;
  };
}[ClaimType];

export interface ReportInfo {
  readonly reportId: string;
  readonly source: Source;
  readonly publishedOn: IsoDate;
  readonly publishedOnApprox: boolean;
}

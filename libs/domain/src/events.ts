import type { ClaimFields, ClaimType, IsoDate, Source } from './claims';

/** Where a fact came from and when it was learned (record time). */
export interface Provenance {
  readonly reportId: string;
  readonly source: Source;
  readonly publishedOn: IsoDate;
  readonly publishedOnApprox: boolean;
  /** Position of the claim inside its report, and how many claims the report has. */
  readonly claimIndex: number;
  readonly claimCount: number;
  /** Hash of the report's content: the same report id with other content is refused. */
  readonly reportHash: string;
}

/** A pointer to one claim of one report, e.g. the claim another claim contradicts. */
export interface ClaimRef {
  readonly reportId: string;
  readonly claimIndex: number;
  readonly type: ClaimType;
  readonly source: string;
  readonly publishedOn: IsoDate;
}

/**
 * The events of the squad-planning domain: one per claim type, named as the claim, in the
 * past tense. `effectiveOn` is the valid time; `contradicts` lists earlier claims (from other
 * reports) this one disputes or is disputed by, so read models can show both versions.
 */
export type SquadEvent = {
  [T in ClaimType]: {
    readonly type: T;
    readonly data: Readonly<ClaimFields[T]> & {
      readonly effectiveOn: IsoDate;
      readonly contradicts?: readonly ClaimRef[];
    };
    readonly metadata: Provenance;
  };
}[ClaimType];

export type SquadEventOf<T extends ClaimType> = Extract<SquadEvent, { type: T }>;

export function claimRefOf(event: SquadEvent): ClaimRef {
  return {
    reportId: event.metadata.reportId,
    claimIndex: event.metadata.claimIndex,
    type: event.type,
    source: event.metadata.source.name,
    publishedOn: event.metadata.publishedOn,
  };
}

import type { ClaimFields, ClaimType, DateWindow, IsoDate, Source } from './claims';

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
  /** The report's `evidence`, on its first claim's event only (the report's header: stored once). */
  readonly evidence?: readonly string[];
}

/** A pointer to one claim of one report, e.g. the claim another claim contradicts. */
export interface ClaimRef {
  readonly reportId: string;
  readonly claimIndex: number;
  readonly type: ClaimType;
  readonly source: Source;
  readonly publishedOn: IsoDate;
}

/**
 * Events recorded before API version 2 held a `ClaimRef`'s source as its name alone; they are
 * read as the current shape (`{ name }`), so every reader sees one `source` shape. The store is
 * never rewritten: this runs where stored events are read.
 */
export function upcastClaimRefs(refs: readonly ClaimRef[]): readonly ClaimRef[] {
  let upcast: ClaimRef[] | undefined;
  for (let i = 0; i < refs.length; i++) {
    const source = refs[i].source as Source | string;
    if (typeof source !== 'string') continue;
    upcast ??= refs.slice();
    upcast[i] = { ...refs[i], source: { name: source } };
  }
  return upcast ?? refs;
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
      /** The valid day is approximate (inferred, or the last of the window the source gave). */
      readonly effectiveOnApprox?: true;
      readonly effectiveBetween?: DateWindow;
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
    source: event.metadata.source,
    publishedOn: event.metadata.publishedOn,
  };
}

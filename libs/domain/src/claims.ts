/**
 * The claims a report can make: the public vocabulary of `POST /v1/reports`. Each claim type
 * becomes one event of the same name. Ids of clubs and players are lower-case slugs; dates are
 * ISO calendar dates (`YYYY-MM-DD`).
 */

export const POSITIONS = ['GK', 'RB', 'CB', 'LB', 'DM', 'CM', 'AM', 'RW', 'LW', 'ST'] as const;
export type Position = (typeof POSITIONS)[number];

export const PRIORITIES = ['top', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** `juventus`, `leonardo-balerdi`: lower-case letters and digits joined by single hyphens. */
export type Slug = string;
/** `2025-06-17` */
export type IsoDate = string;

export interface ClaimFields {
  PlayerRegistered: { player: Slug; name: string; club: Slug; position: Position; secondaryPositions?: Position[] };
  InterestDeclared: { club: Slug; player: Slug; priority?: Priority };
  TalksRequested: { club: Slug; player: Slug; withClub: Slug };
  TalksRefused: { club: Slug; player: Slug; byClub: Slug; reason?: string };
  BidSubmitted: { club: Slug; player: Slug; toClub: Slug; amountEur: number };
  BidRejected: { club: Slug; player: Slug; byClub: Slug; amountEur?: number };
  PursuitAbandoned: { club: Slug; player: Slug; reason?: string };
  InterestRenewalExpected: { club: Slug; player: Slug; expectedFrom: IsoDate };
  PlayerInjured: { player: Slug; injury?: string; expectedReturnOn?: IsoDate };
  PlayerReturnedFromInjury: { player: Slug };
  LoanReturned: { player: Slug; fromClub: Slug };
  LoanDeparted: { player: Slug; toClub: Slug; until?: IsoDate };
  OutgoingCandidateFlagged: { club: Slug; player: Slug; reason: string };
  ContractRecorded: { player: Slug; club: Slug; expiresOn: IsoDate };
  MarketValueReported: { player: Slug; valueEur: number };
  ManagerAppointed: { club: Slug; manager: string };
  TransferCompleted: { player: Slug; fromClub: Slug; toClub: Slug; feeEur?: number };
  ClaimDisputed: { club: Slug; player: Slug; disputedType: ClaimType; statement: string };
}

export type ClaimType = keyof ClaimFields;

export const CLAIM_TYPES = [
  'PlayerRegistered',
  'InterestDeclared',
  'TalksRequested',
  'TalksRefused',
  'BidSubmitted',
  'BidRejected',
  'PursuitAbandoned',
  'InterestRenewalExpected',
  'PlayerInjured',
  'PlayerReturnedFromInjury',
  'LoanReturned',
  'LoanDeparted',
  'OutgoingCandidateFlagged',
  'ContractRecorded',
  'MarketValueReported',
  'ManagerAppointed',
  'TransferCompleted',
  'ClaimDisputed',
] as const satisfies readonly ClaimType[];

/** One claim of a report, as submitted: its fields plus its valid time. */
export type Claim = {
  [T in ClaimType]: { readonly type: T; readonly effectiveOn?: IsoDate } & Readonly<ClaimFields[T]>;
}[ClaimType];

export interface Source {
  readonly name: string;
  readonly url?: string;
}

/** A transfer-news report: the unit that is recorded whole or not at all. */
export interface Report {
  /** Client-chosen idempotency key. */
  readonly reportId: string;
  readonly source: Source;
  /** Record time: when the report was published (or, if approximate, when it is believed to be). */
  readonly publishedOn: IsoDate;
  /** True when `publishedOn` was inferred from context rather than printed on the report. */
  readonly publishedOnApprox: boolean;
  readonly claims: readonly Claim[];
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/**
 * The longest slug: well inside the HTTP router's 100-character limit on a path parameter, so
 * every club and player recorded can be read back by its URL.
 */
export const MAX_SLUG_LENGTH = 80;

/** A slug as the API takes it: `SLUG`, at most `MAX_SLUG_LENGTH` characters. */
export function isSlug(value: unknown): value is Slug {
  return typeof value === 'string' && value.length <= MAX_SLUG_LENGTH && SLUG.test(value);
}
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written as `YYYY-MM-DD` (rejects 2025-02-30). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

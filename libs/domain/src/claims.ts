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
  /**
   * The club is expected to come back for him from `expectedFrom`; `condition` says on what, and
   * `dependsOnManager` names the manager whose staying it hinges on: once he leaves the club,
   * the expectation is shown as doubtful.
   */
  InterestRenewalExpected: {
    club: Slug;
    player: Slug;
    expectedFrom: IsoDate;
    condition?: string;
    dependsOnManager?: string;
  };
  PlayerInjured: { player: Slug; injury?: string; expectedReturnOn?: IsoDate };
  PlayerReturnedFromInjury: { player: Slug };
  LoanReturned: { player: Slug; fromClub: Slug };
  /** A loan from his club to `toClub`, until a day if known, with an option (or an obligation) to buy. */
  LoanDeparted: { player: Slug; toClub: Slug; until?: IsoDate; optionToBuyEur?: number; obligationToBuy?: boolean };
  OutgoingCandidateFlagged: { club: Slug; player: Slug; reason: string };
  ContractRecorded: { player: Slug; club: Slug; expiresOn: IsoDate };
  /** His contract with `club` now runs to `expiresOn` (the previous expiry stays in his history). */
  ContractExtended: { player: Slug; club: Slug; expiresOn: IsoDate };
  MarketValueReported: { player: Slug; valueEur: number };
  /** `formation`: the one he prefers, when a report gives it (squad depth's verdicts then default to it). */
  ManagerAppointed: { club: Slug; manager: string; formation?: string };
  /** He leaves the club: sacked, resigned, his contract ended, or by mutual consent. */
  ManagerDeparted: { club: Slug; manager: string; reason?: ManagerDepartureReason };
  /** The club that holds him says he is not for sale (`reason`: its words, when reported). */
  NotForSale: { club: Slug; player: Slug; reason?: string };
  TransferCompleted: { player: Slug; fromClub: Slug; toClub: Slug; feeEur?: number };
  /** He leaves `fromClub` for no club: released ("Without Club"), a career break, a ban, or a destination nobody knows. */
  PlayerReleased: { player: Slug; fromClub: Slug; reason?: ReleaseReason };
  PlayerRetired: { player: Slug; fromClub?: Slug };
  /** Who he is (each field optional): what a data provider or a profile piece says of him. */
  PlayerProfileReported: {
    player: Slug;
    name?: string;
    position?: Position;
    secondaryPositions?: Position[];
    nationality?: string;
    /** The year he was born; approximate when only his age on a day is known. */
    birthYear?: number;
    birthDate?: IsoDate;
    /** Caps for his national team, as of the claim's day. */
    internationalCaps?: number;
    preferredFoot?: PreferredFoot;
    /** The club he captains from the claim's day. */
    captainOf?: Slug;
  };
  /**
   * Who a club is (each field optional): its usual name, the other spellings it goes by, its
   * country, and for a youth or reserve side (`Juventus U23`) the first team it belongs to.
   */
  ClubProfileReported: {
    club: Slug;
    name?: string;
    aliases?: string[];
    country?: string;
    parentClub?: Slug;
  };
  ClaimDisputed: { club: Slug; player: Slug; disputedType: ClaimType; statement: string };
}

export const MANAGER_DEPARTURE_REASONS = ['sacked', 'resigned', 'contract-ended', 'mutual-consent'] as const;
export type ManagerDepartureReason = (typeof MANAGER_DEPARTURE_REASONS)[number];

export const PREFERRED_FEET = ['left', 'right', 'both'] as const;
export type PreferredFoot = (typeof PREFERRED_FEET)[number];

export const RELEASE_REASONS = ['released', 'career-break', 'ban', 'destination-unknown'] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

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
  'ContractExtended',
  'MarketValueReported',
  'ManagerAppointed',
  'ManagerDeparted',
  'NotForSale',
  'TransferCompleted',
  'PlayerReleased',
  'PlayerRetired',
  'PlayerProfileReported',
  'ClubProfileReported',
  'ClaimDisputed',
] as const satisfies readonly ClaimType[];

/** The days a fact took effect between, when a source gives a window rather than a day. */
export interface DateWindow {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/**
 * One claim of a report, as submitted: its fields plus its valid time. `effectiveOnApprox` says
 * the day is inferred, not stated (a transfer window's conventional day, "early July").
 * `effectiveBetween` is the window a source gives instead of a day ("back before 4 September"):
 * `effectiveOn` is then a day inside it (by default its last, the day by which the fact surely
 * holds) and approximate.
 */
export type Claim = {
  [T in ClaimType]: {
    readonly type: T;
    readonly effectiveOn?: IsoDate;
    readonly effectiveOnApprox?: boolean;
    readonly effectiveBetween?: DateWindow;
  } & Readonly<ClaimFields[T]>;
}[ClaimType];

/** A claim's valid day: the one it names, else the last of its window, else the report's publication. */
export function claimDay(claim: Claim, publishedOn: IsoDate): IsoDate {
  return claim.effectiveOn ?? claim.effectiveBetween?.to ?? publishedOn;
}

/**
 * What kind of source a report comes from: the club or player themselves (`official`), a
 * newspaper, broadcaster or journalist (`outlet`), an `aggregator`, `social` media, or a data
 * provider's record of what happened (`data`, such as Transfermarkt).
 */
export const SOURCE_KINDS = ['official', 'outlet', 'aggregator', 'social', 'data'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/**
 * The kinds a client may claim over HTTP: `data` turns a refusal into a flag
 * (`isHistoricalRecord`), so it is the import's alone (`npm run cli -- import-transfermarkt`).
 */
export const CLIENT_SOURCE_KINDS = SOURCE_KINDS.filter((kind) => kind !== 'data');

export interface Source {
  readonly name: string;
  readonly url?: string;
  readonly kind?: SourceKind;
}

/**
 * A data provider's record is compiled after the fact from many reports: where it contradicts
 * what the store believes (a move from a club the player is not at), it is recorded and flagged
 * with the claim it contradicts, not refused as a news report would be.
 */
export const isHistoricalRecord = (source: Source): boolean => source.kind === 'data';

/** A transfer-news report: the unit that is recorded whole or not at all. */
export interface Report {
  /** Client-chosen idempotency key. */
  readonly reportId: string;
  readonly source: Source;
  /** Record time: when the report was published (or, if approximate, when it is believed to be). */
  readonly publishedOn: IsoDate;
  /** True when `publishedOn` was inferred from context rather than printed on the report. */
  readonly publishedOnApprox: boolean;
  /**
   * Where in the source its facts are read, when the source is long: a file and line
   * (`data/2018/serie-a.csv:412`), a page, a paragraph. Part of what the report says.
   */
  readonly evidence?: readonly string[];
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

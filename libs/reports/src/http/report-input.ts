import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  Allow,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  validateSync,
  type ValidationError,
  type ValidationOptions,
} from 'class-validator';
import {
  CLAIM_TYPES,
  type Claim,
  type ClaimType,
  type IsoDate,
  isIsoDate,
  isSlug,
  MAX_SLUG_LENGTH,
  POSITIONS,
  MANAGER_DEPARTURE_REASONS,
  PREFERRED_FEET,
  PRIORITIES,
  RELEASE_REASONS,
  type Report,
  CLIENT_SOURCE_KINDS,
  type SourceKind,
} from '@squad/domain';

/**
 * The HTTP and CLI edge of `POST /v1/reports`: class-validator DTOs that turn an untrusted JSON
 * body into a domain `Report`, or into a list of problems naming each bad field and why.
 */

export const MAX_CLAIMS_PER_REPORT = 200;
/** A formation: two to five lines of outfield players from the back (`4-3-3`, `3-4-2-1`). */
const FORMATION = /^[1-6](?:-[1-6]){1,4}$/;
const MAX_TEXT = 2000;

export interface FieldProblem {
  /** `claims[2].position` */
  readonly field: string;
  readonly reason: string;
}

function IsSlug(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSlug',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a lower-case slug such as "leonardo-balerdi", at most ${MAX_SLUG_LENGTH} characters`,
        ...options,
      },
      validator: { validate: (value: unknown) => isSlug(value) },
    });
}

function IsIsoDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a calendar date written YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isIsoDate(value) },
    });
}

const Text = () => (target: object, key: string) => {
  IsString()(target, key);
  IsNotEmpty()(target, key);
  MaxLength(MAX_TEXT)(target, key);
};
/** Far above any fee, bid or valuation ever reported (the record fee is about EUR 222m), far below where numbers lose precision. */
export const MAX_EUROS = 10_000_000_000;

const Euros = () => (target: object, key: string) => {
  IsInt({ message: `${key} must be a whole number of euros` })(target, key);
  Min(0)(target, key);
  Max(MAX_EUROS, { message: `${key} must be at most ${MAX_EUROS} euros` })(target, key);
};

/** Other positions a player can play: optional, each one of ours, none twice over the limit. */
const SecondaryPositions = () => (target: object, key: string) => {
  ApiPropertyOptional({ enum: POSITIONS, isArray: true })(target, key);
  IsOptional()(target, key);
  IsArray()(target, key);
  ArrayMaxSize(POSITIONS.length)(target, key);
  IsIn(POSITIONS, { each: true })(target, key);
};

export class SourceDto {
  @ApiProperty({ example: 'Tuttojuve' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'https://www.tuttojuve.com/' })
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({
    enum: CLIENT_SOURCE_KINDS,
    description:
      "official: the club or player; outlet: a newspaper, broadcaster or journalist; aggregator; social. (A data provider's record, `data`, comes in through the import only: it is recorded and flagged where it contradicts the store, not refused.)",
  })
  @IsOptional()
  @IsIn(CLIENT_SOURCE_KINDS, {
    message: `kind must be one of ${CLIENT_SOURCE_KINDS.join(', ')} (a data provider's records come in through the import)`,
  })
  kind?: string;
}

/** A window of days a fact took effect in, when the source gives no day: "back before 4 September". */
export class DateWindowDto {
  @ApiProperty({ example: '2025-08-20', description: 'The first day it may have taken effect' })
  @IsIsoDate()
  from!: string;

  @ApiProperty({ example: '2025-09-04', description: 'The day by which it had taken effect' })
  @IsIsoDate()
  to!: string;
}

abstract class ClaimDto {
  @ApiProperty({ enum: CLAIM_TYPES })
  @IsIn(CLAIM_TYPES)
  type!: ClaimType;

  @ApiPropertyOptional({
    description: 'Valid time: when the fact holds. Defaults to the report publishedOn.',
    example: '2025-06-17',
  })
  @IsOptional()
  @IsIsoDate()
  effectiveOn?: string;

  @ApiPropertyOptional({
    default: false,
    description: "True when effectiveOn is inferred (a transfer window's conventional day), not stated",
  })
  @IsOptional()
  @IsBoolean()
  effectiveOnApprox?: boolean;

  @ApiPropertyOptional({
    type: DateWindowDto,
    description:
      'When the source gives a window rather than a day ("back before 4 September"): the fact took effect on a day between from and to. effectiveOn then defaults to to (the day by which it surely holds) and must lie in the window; the claim is approximate (effectiveOnApprox true)',
  })
  @IsOptional()
  @IsObject({ message: 'effectiveBetween must be an object { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }' })
  effectiveBetween?: DateWindowDto;
}

class PlayerClaim extends ClaimDto {
  @ApiProperty({ example: 'leonardo-balerdi' })
  @IsSlug()
  player!: string;
}

class PursuitClaim extends PlayerClaim {
  @ApiProperty({ example: 'juventus', description: 'The club pursuing the player' })
  @IsSlug()
  club!: string;
}

export class PlayerRegisteredDto extends PlayerClaim {
  @ApiProperty({ example: 'Leonardo Balerdi' }) @Text() name!: string;
  @ApiProperty({ example: 'marseille' }) @IsSlug() club!: string;
  @ApiProperty({ enum: POSITIONS }) @IsIn(POSITIONS) position!: string;
  @SecondaryPositions() secondaryPositions?: string[];
}
export class InterestDeclaredDto extends PursuitClaim {
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
}
export class TalksRequestedDto extends PursuitClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() withClub!: string;
}
export class TalksRefusedDto extends PursuitClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() byClub!: string;
  @ApiPropertyOptional() @IsOptional() @Text() reason?: string;
}
export class BidSubmittedDto extends PursuitClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() toClub!: string;
  @ApiProperty({ example: 25000000 }) @Euros() amountEur!: number;
}
export class BidRejectedDto extends PursuitClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() byClub!: string;
  @ApiPropertyOptional({ example: 25000000 }) @IsOptional() @Euros() amountEur?: number;
}
export class PursuitAbandonedDto extends PursuitClaim {
  @ApiPropertyOptional() @IsOptional() @Text() reason?: string;
}
export class InterestRenewalExpectedDto extends PursuitClaim {
  @ApiProperty({ example: '2026-06-01' }) @IsIsoDate() expectedFrom!: string;
  @ApiPropertyOptional({ example: 'if Tudor stays', description: 'What the expectation depends on, in words' })
  @IsOptional()
  @Text()
  condition?: string;
  @ApiPropertyOptional({
    example: 'Igor Tudor',
    description: "The club's manager whose staying it depends on: once he leaves, the expectation is doubtful",
  })
  @IsOptional()
  @Text()
  dependsOnManager?: string;
}
export class PlayerInjuredDto extends PlayerClaim {
  @ApiPropertyOptional({ example: 'ACL' }) @IsOptional() @Text() injury?: string;
  @ApiPropertyOptional({ example: '2025-09-01' }) @IsOptional() @IsIsoDate() expectedReturnOn?: string;
}
export class PlayerReturnedFromInjuryDto extends PlayerClaim {}
export class LoanReturnedDto extends PlayerClaim {
  @ApiProperty({ example: 'ajax' }) @IsSlug() fromClub!: string;
}
export class LoanDepartedDto extends PlayerClaim {
  @ApiProperty({ example: 'ajax' }) @IsSlug() toClub!: string;
  @ApiPropertyOptional({ example: '2026-06-30' }) @IsOptional() @IsIsoDate() until?: string;
  @ApiPropertyOptional({ example: 12000000, description: 'The fee of an option (or obligation) to buy him' })
  @IsOptional()
  @Euros()
  optionToBuyEur?: number;
  @ApiPropertyOptional({ description: 'True when the borrower must buy him at the end of the loan' })
  @IsOptional()
  @IsBoolean()
  obligationToBuy?: boolean;
}
export class OutgoingCandidateFlaggedDto extends PursuitClaim {
  @ApiProperty({ example: 'juventus', description: 'The club that may let the player go' }) declare club: string;
  @ApiProperty({ example: 'defence saturated' }) @Text() reason!: string;
}
export class ContractRecordedDto extends PlayerClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() club!: string;
  @ApiProperty({ example: '2028-06-30', description: 'After the claim day' }) @IsIsoDate() expiresOn!: string;
}
export class ContractExtendedDto extends PlayerClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() club!: string;
  @ApiProperty({ example: '2029-06-30', description: 'The new expiry (after the claim day)' })
  @IsIsoDate()
  expiresOn!: string;
}
export class NotForSaleDto extends PlayerClaim {
  @ApiProperty({ example: 'juventus', description: 'The club that holds him and will not sell' })
  @IsSlug()
  club!: string;
  @ApiPropertyOptional({ example: 'no plan to sell' }) @IsOptional() @Text() reason?: string;
}
export class MarketValueReportedDto extends PlayerClaim {
  @ApiProperty({ example: 20000000 }) @Euros() valueEur!: number;
}
export class ManagerAppointedDto extends ClaimDto {
  @ApiProperty({ example: 'juventus' }) @IsSlug() club!: string;
  @ApiProperty({ example: 'Igor Tudor' }) @Text() manager!: string;
  @ApiPropertyOptional({
    example: '3-4-2-1',
    description: 'The formation he prefers: lines of outfield players from the back, such as 4-3-3',
  })
  @IsOptional()
  @Matches(FORMATION, { message: 'formation must be lines of outfield players from the back, such as "4-3-3"' })
  formation?: string;
}
export class ManagerDepartedDto extends ClaimDto {
  @ApiProperty({ example: 'juventus' }) @IsSlug() club!: string;
  @ApiProperty({ example: 'Igor Tudor', description: 'The manager who leaves (the club must have him on that day)' })
  @Text()
  manager!: string;
  @ApiPropertyOptional({ enum: MANAGER_DEPARTURE_REASONS })
  @IsOptional()
  @IsIn(MANAGER_DEPARTURE_REASONS)
  reason?: string;
}
export class TransferCompletedDto extends PlayerClaim {
  @ApiProperty({ example: 'marseille' }) @IsSlug() fromClub!: string;
  @ApiProperty({ example: 'juventus' }) @IsSlug() toClub!: string;
  @ApiPropertyOptional({ example: 30000000 }) @IsOptional() @Euros() feeEur?: number;
}
export class PlayerReleasedDto extends PlayerClaim {
  @ApiProperty({ example: 'juventus' }) @IsSlug() fromClub!: string;
  @ApiPropertyOptional({
    enum: RELEASE_REASONS,
    default: 'released',
    description: 'released: without a club; career-break; ban; destination-unknown: he left for a club nobody reported',
  })
  @IsOptional()
  @IsIn(RELEASE_REASONS)
  reason?: string;
}
export class PlayerRetiredDto extends PlayerClaim {
  @ApiPropertyOptional({ example: 'juventus', description: 'The club he retired from' })
  @IsOptional()
  @IsSlug()
  fromClub?: string;
}
/** The earliest birth year the API takes: no footballer in the record is older. */
export const MIN_BIRTH_YEAR = 1850;
export class PlayerProfileReportedDto extends PlayerClaim {
  @ApiPropertyOptional({ example: 'Leonardo Balerdi' }) @IsOptional() @Text() name?: string;
  @ApiPropertyOptional({ enum: POSITIONS }) @IsOptional() @IsIn(POSITIONS) position?: string;
  @SecondaryPositions() secondaryPositions?: string[];
  @ApiPropertyOptional({ example: 'Argentina' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nationality?: string;
  @ApiPropertyOptional({ example: 1999, description: 'Approximate when only his age on a day is known' })
  @IsOptional()
  @IsInt({ message: 'birthYear must be a whole year' })
  @Min(MIN_BIRTH_YEAR)
  @Max(2100)
  birthYear?: number;
  @ApiPropertyOptional({ example: '1999-01-26', description: 'Not after the report is published' })
  @IsOptional()
  @IsIsoDate()
  birthDate?: string;
  @ApiPropertyOptional({ example: 12, description: 'Caps for his national team on the claim day' })
  @IsOptional()
  @IsInt({ message: 'internationalCaps must be a whole number' })
  @Min(0)
  @Max(500)
  internationalCaps?: number;
  @ApiPropertyOptional({ enum: PREFERRED_FEET }) @IsOptional() @IsIn(PREFERRED_FEET) preferredFoot?: string;
  @ApiPropertyOptional({ example: 'marseille', description: 'The club he captains from the claim day' })
  @IsOptional()
  @IsSlug()
  captainOf?: string;
}
/** Places in one source a report cites. */
export const MAX_EVIDENCE = 20;
/** Enough for every spelling a club goes by (the data set's most spelled club has 9). */
export const MAX_CLUB_ALIASES = 50;
export class ClubProfileReportedDto extends ClaimDto {
  @ApiProperty({ example: 'juventus-u23' }) @IsSlug() club!: string;
  @ApiPropertyOptional({ example: 'Juventus U23', description: 'Its usual name' }) @IsOptional() @Text() name?: string;
  @ApiPropertyOptional({
    example: ['Juventus Next Gen', 'Juve U23'],
    description: 'Other names it goes by (a former name stays an alias)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CLUB_ALIASES)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_TEXT, { each: true })
  aliases?: string[];
  @ApiPropertyOptional({ example: 'Italy' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  country?: string;
  @ApiPropertyOptional({ example: 'juventus', description: 'For a youth or reserve side: its first team' })
  @IsOptional()
  @IsSlug()
  parentClub?: string;
}
export class ClaimDisputedDto extends PursuitClaim {
  @ApiProperty({ enum: CLAIM_TYPES.filter((t) => t !== 'ClaimDisputed') })
  @IsIn(CLAIM_TYPES.filter((t) => t !== 'ClaimDisputed'))
  disputedType!: string;
  @ApiProperty({ example: 'Marseille never blocked a sale; they received no suitable offer' })
  @Text()
  statement!: string;
}

/** The DTO of each claim type: adding a claim type without one does not compile. */
export const CLAIM_DTOS: Record<ClaimType, new () => ClaimDto> = {
  PlayerRegistered: PlayerRegisteredDto,
  InterestDeclared: InterestDeclaredDto,
  TalksRequested: TalksRequestedDto,
  TalksRefused: TalksRefusedDto,
  BidSubmitted: BidSubmittedDto,
  BidRejected: BidRejectedDto,
  PursuitAbandoned: PursuitAbandonedDto,
  InterestRenewalExpected: InterestRenewalExpectedDto,
  PlayerInjured: PlayerInjuredDto,
  PlayerReturnedFromInjury: PlayerReturnedFromInjuryDto,
  LoanReturned: LoanReturnedDto,
  LoanDeparted: LoanDepartedDto,
  OutgoingCandidateFlagged: OutgoingCandidateFlaggedDto,
  ContractRecorded: ContractRecordedDto,
  ContractExtended: ContractExtendedDto,
  NotForSale: NotForSaleDto,
  MarketValueReported: MarketValueReportedDto,
  ManagerAppointed: ManagerAppointedDto,
  ManagerDeparted: ManagerDepartedDto,
  TransferCompleted: TransferCompletedDto,
  PlayerReleased: PlayerReleasedDto,
  PlayerRetired: PlayerRetiredDto,
  PlayerProfileReported: PlayerProfileReportedDto,
  ClubProfileReported: ClubProfileReportedDto,
  ClaimDisputed: ClaimDisputedDto,
};

export class ReportDto {
  @ApiProperty({ example: 'tuttojuve-2025-06-17-balerdi', description: 'Client-chosen idempotency key' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, {
    message: 'reportId must be 1 to 200 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  })
  reportId!: string;

  /** Validated on its own (see `parseReport`), so a malformed value cannot reach nested validation. */
  @ApiProperty({ type: SourceDto })
  @Allow()
  source!: SourceDto;

  @ApiProperty({ example: '2025-06-17', description: 'Record time: the publication date' })
  @IsIsoDate()
  publishedOn!: string;

  @ApiPropertyOptional({ default: false, description: 'True when publishedOn was inferred from context' })
  @IsOptional()
  @IsBoolean()
  publishedOnApprox?: boolean;

  @ApiPropertyOptional({
    example: ['third paragraph'],
    description: 'Where in the source its facts are read (a page, a paragraph, a file and line)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EVIDENCE)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_TEXT, { each: true })
  evidence?: string[];

  @ApiProperty({
    description: 'One or more claims; see the examples per claim type',
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CLAIMS_PER_REPORT)
  claims!: unknown[];
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;
/** Built once: every unknown type's reason shares it, rather than a fresh 700-character copy each. */
const KNOWN_CLAIM_TYPES = CLAIM_TYPES.join(', ');

/**
 * The problems of one body: every one counted, the first `listAtMost` kept. A batch of a
 * thousand reports of 200 bad claims finds 200,000 problems; kept whole until the answer is
 * written, they took hundreds of MiB per request, for an answer that lists only the first few.
 */
class ProblemList {
  private readonly kept: FieldProblem[] = [];
  private count = 0;

  constructor(private readonly listAtMost: number) {}

  get length(): number {
    return this.count;
  }

  push(...found: FieldProblem[]): void {
    for (const problem of found) {
      this.count++;
      if (this.kept.length < this.listAtMost) this.kept.push(problem);
    }
  }

  /** The problems kept, and how many there were when some were left out. */
  answer(): { problems: FieldProblem[]; problemCount?: number } {
    return this.count > this.kept.length ? { problems: this.kept, problemCount: this.count } : { problems: this.kept };
  }
}

/**
 * Validates an untrusted body. Returns the domain report, or the problems found (the report
 * part and each claim are checked, so one response lists all the bad fields): the first
 * `listAtMost` of them, and `problemCount` when there were more.
 */
export function parseReport(
  body: unknown,
  fieldPrefix = '',
  listAtMost = Number.POSITIVE_INFINITY,
): { report: Report } | { problems: FieldProblem[]; problemCount?: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: [{ field: fieldPrefix || 'body', reason: 'a report is a JSON object' }] };
  }
  const problems = new ProblemList(listAtMost);
  const dto = toInstance(ReportDto, body, fieldPrefix, problems);
  problems.push(...flatten(validateSync(dto, VALIDATION), fieldPrefix));
  if (isPlainRecord(dto.source)) {
    const source = toInstance(SourceDto, dto.source, `${fieldPrefix}source.`, problems);
    problems.push(...flatten(validateSync(source, VALIDATION), `${fieldPrefix}source.`));
  } else {
    problems.push({
      field: `${fieldPrefix}source`,
      reason: 'source is required: an object { "name": …, "url"?: …, "kind"?: … }',
    });
  }
  const claims: object[] = [];
  if (Array.isArray(dto.claims) && dto.claims.length <= MAX_CLAIMS_PER_REPORT) {
    dto.claims.forEach((raw, index) => {
      const path = `${fieldPrefix}claims[${index}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        problems.push({ field: path, reason: 'a claim is a JSON object' });
        return;
      }
      const type = (raw as { type?: unknown }).type;
      const Dto =
        typeof type === 'string' && Object.hasOwn(CLAIM_DTOS, type) ? CLAIM_DTOS[type as ClaimType] : undefined;
      if (!Dto) {
        problems.push({
          field: `${path}.type`,
          reason: `unknown claim type ${describeValue(type)}; known types: ${KNOWN_CLAIM_TYPES}`,
        });
        return;
      }
      const claim = toInstance(Dto, raw, `${path}.`, problems);
      problems.push(...flatten(validateSync(claim, VALIDATION), `${path}.`));
      // plain object of the fields present (DTO class fields exist even when unset)
      const fields: Record<string, unknown> = Object.fromEntries(
        Object.entries(claim).filter(([, value]) => value !== undefined),
      );
      if (fields.effectiveBetween === null) delete fields.effectiveBetween; // null: no window, as absent
      if (isPlainRecord(claim.effectiveBetween)) {
        const window = toInstance(DateWindowDto, claim.effectiveBetween, `${path}.effectiveBetween.`, problems);
        problems.push(...flatten(validateSync(window, VALIDATION), `${path}.effectiveBetween.`));
        // a window is an approximate day: the day by which it surely holds, unless one is named
        Object.assign(fields, {
          effectiveBetween: { from: window.from, to: window.to },
          effectiveOn: fields.effectiveOn ?? window.to,
          effectiveOnApprox: true,
        });
      }
      claims.push(fields);
    });
  }
  if (problems.length === 0) problems.push(...claimDayProblems(claims as Claim[], dto.publishedOn, fieldPrefix));
  if (problems.length > 0) return problems.answer();
  return {
    report: {
      reportId: dto.reportId,
      source: {
        name: dto.source.name,
        ...(dto.source.url ? { url: dto.source.url } : {}),
        ...(dto.source.kind ? { kind: dto.source.kind as SourceKind } : {}),
      },
      publishedOn: dto.publishedOn,
      publishedOnApprox: dto.publishedOnApprox ?? false,
      ...(dto.evidence && dto.evidence.length > 0 ? { evidence: dto.evidence } : {}),
      claims: claims as unknown as Report['claims'],
    },
  };
}

/**
 * Dates a claim's own fields cannot have against its day (`effectiveOn`, by default the report's
 * publication): a contract or a loan that ends before it starts, a player born after the report
 * about him. Checked once every field is well-formed, so each is a plain comparison of ISO dates.
 */
function claimDayProblems(claims: readonly Claim[], publishedOn: IsoDate, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  claims.forEach((claim, index) => {
    const day = claim.effectiveOn ?? publishedOn;
    const field = (name: string) => `${prefix}claims[${index}].${name}`;
    const window = claim.effectiveBetween;
    if (window !== undefined && window.to < window.from) {
      problems.push({
        field: field('effectiveBetween.to'),
        reason: `a window ends after it starts: to ${window.to} is before from ${window.from}`,
      });
    } else if (window !== undefined && (day < window.from || day > window.to)) {
      problems.push({
        field: field('effectiveOn'),
        reason: `effectiveOn ${day} is outside effectiveBetween (${window.from} to ${window.to})`,
      });
    }
    if ((claim.type === 'ContractRecorded' || claim.type === 'ContractExtended') && claim.expiresOn <= day) {
      problems.push({
        field: field('expiresOn'),
        reason: `a contract ends after it starts: expiresOn ${claim.expiresOn} is not after the claim's day ${day}`,
      });
    }
    if (claim.type === 'LoanDeparted' && claim.until !== undefined && claim.until < day) {
      problems.push({
        field: field('until'),
        reason: `a loan ends after it starts: until ${claim.until} is before the claim's day ${day}`,
      });
    }
    if (claim.type === 'PlayerProfileReported') {
      if (claim.birthDate !== undefined && claim.birthDate > publishedOn) {
        problems.push({
          field: field('birthDate'),
          reason: `birthDate ${claim.birthDate} is after the report's publication (${publishedOn})`,
        });
      }
      if (claim.birthYear !== undefined && claim.birthYear > Number(publishedOn.slice(0, 4))) {
        problems.push({
          field: field('birthYear'),
          reason: `birthYear ${claim.birthYear} is after the report's publication (${publishedOn})`,
        });
      }
      if (
        claim.birthDate !== undefined &&
        claim.birthYear !== undefined &&
        Number(claim.birthDate.slice(0, 4)) !== claim.birthYear
      ) {
        problems.push({
          field: field('birthYear'),
          reason: `birthYear ${claim.birthYear} is not the year of birthDate ${claim.birthDate}`,
        });
      }
    }
  });
  return problems;
}

/**
 * Copies an untrusted object's own fields onto a DTO instance for class-validator. Done by hand
 * rather than with class-transformer, which trips over keys such as `constructor`. A key named
 * like a member of every object (`__proto__`, `constructor`, `hasOwnProperty`, `isPrototypeOf`...)
 * is never copied, since class-validator reads those members of the instance it checks (an own
 * `constructor` made it throw), and no DTO has such a field: it is reported as unknown instead.
 */
function toInstance<T extends object>(
  Dto: new () => T,
  plain: object,
  prefix: string,
  problems: { push(...found: FieldProblem[]): void },
): T {
  const instance = new Dto();
  for (const key of Object.keys(plain)) {
    if (key in Object.prototype) {
      problems.push({ field: `${prefix}${key}`, reason: `property ${key} should not exist` });
      continue;
    }
    Object.defineProperty(instance, key, {
      value: (plain as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return instance;
}

function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    case 'undefined':
      return '(missing)';
    case 'bigint':
      return `${value}n`;
    case 'number':
    case 'boolean':
    case 'symbol':
    case 'function':
      return String(value);
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? '(an array)' : '(an object)';
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

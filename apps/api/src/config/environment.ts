import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { DEFAULT_FORMATION, FORMATIONS } from '@squad/projections';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateIf,
  validateSync,
  type ValidationArguments,
} from 'class-validator';

/** What an API key may be made of: URL- and header-safe characters (base64, base64url, hex, UUIDs...). */
export const API_KEY_PATTERN = /^[A-Za-z0-9._~+/=-]+$/;
export const API_KEY_MIN_LENGTH = 16;
export const API_KEY_MAX_LENGTH = 512;
/** Settings whose values are secrets: never echoed, not even in a configuration error. */
const SECRET_SETTINGS = new Set(['API_KEYS', 'READ_API_KEYS']);

/** "a,b, c" → ["a", "b", "c"]; empty entries are dropped. */
const commaSeparated = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== '')
    : value;

/** Why a list of API keys is refused, each key named by its place in the list, never by its value. */
function apiKeyProblems(value: unknown): string[] {
  if (!Array.isArray(value)) return ['must be a comma-separated list of keys'];
  const problems: string[] = [];
  value.forEach((key: unknown, index) => {
    const which = `key ${index + 1} of ${value.length}`;
    if (typeof key !== 'string') problems.push(`${which} is not text`);
    else if (key.length < API_KEY_MIN_LENGTH)
      problems.push(`${which} has ${key.length} characters; a key needs at least ${API_KEY_MIN_LENGTH}`);
    else if (key.length > API_KEY_MAX_LENGTH)
      problems.push(`${which} has ${key.length} characters; at most ${API_KEY_MAX_LENGTH}`);
    else if (!API_KEY_PATTERN.test(key)) problems.push(`${which} has a character other than A-Z a-z 0-9 . _ ~ + / = -`);
  });
  if (new Set(value).size !== value.length) problems.push('a key is listed twice');
  return problems;
}

function AreApiKeys() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'areApiKeys',
      target: target.constructor,
      propertyName,
      options: { message: (args: ValidationArguments) => apiKeyProblems(args.value).join('; ') },
      validator: { validate: (value: unknown) => apiKeyProblems(value).length === 0 },
    });
}

export const EVENT_STORE_KINDS = ['sqlite', 'postgres', 'eventstoredb'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting the API reads from its environment, with its default. The README's
 * configuration table mirrors this class.
 */
export class Environment {
  /** HTTP port; 0 picks a free one (tests). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  @IsNotEmpty()
  HOST = '0.0.0.0';

  /** Which event-store adapter to open: the embedded file, PostgreSQL, or EventStoreDB/KurrentDB. */
  @IsIn(EVENT_STORE_KINDS)
  EVENT_STORE: (typeof EVENT_STORE_KINDS)[number] = 'sqlite';

  /** PostgreSQL connection URL (EVENT_STORE=postgres), e.g. postgres://user@host:5432/squad. */
  @ValidateIf((env: Environment) => env.EVENT_STORE === 'postgres')
  @IsString({ message: 'DATABASE_URL is required when EVENT_STORE=postgres' })
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string = undefined;

  /** The PostgreSQL schema holding the events (several deployments can share a database). */
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'event_store';

  /** EventStoreDB/KurrentDB connection string (EVENT_STORE=eventstoredb), e.g. esdb://host:2113?tls=false. */
  @ValidateIf((env: Environment) => env.EVENT_STORE === 'eventstoredb')
  @IsString({ message: 'EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb' })
  @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// or kurrentdb:// connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string = undefined;

  /** The embedded store's file (created with its folder on first start), or `:memory:`. */
  @IsString()
  @IsNotEmpty()
  SQLITE_PATH = './data/squad.db';

  /** FULL: an acknowledged append survives a power cut; NORMAL: a killed process only. */
  @IsIn(['FULL', 'NORMAL'])
  SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL' = 'FULL';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Largest request body accepted; larger ones get 413. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** Load the seed reports when the store is empty at start. */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'SEED_ON_EMPTY must be true or false' })
  SEED_ON_EMPTY: boolean = true;

  /** The read models' checkpoint file (`none`: keep none, replay the store at every start). */
  @IsString()
  @IsNotEmpty()
  READ_MODEL_SNAPSHOT_PATH = './data/read-models.snapshot';

  /** Formation the squad-depth verdicts are judged against unless a request names one. */
  @IsIn(Object.keys(FORMATIONS))
  DEFAULT_FORMATION = DEFAULT_FORMATION;

  /** Live updates: a heartbeat comment this often (ms) on every open stream. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  LIVE_HEARTBEAT_MS: number = 15_000;

  /** Live updates: bytes held for a client that does not read before it is disconnected. */
  @Type(() => Number)
  @IsInt()
  @Min(16 * 1024)
  LIVE_CLIENT_BUFFER_BYTES: number = 1024 * 1024;

  /** Live updates: memory for recent updates, so reconnecting clients resume without a gap. */
  @Type(() => Number)
  @IsInt()
  @Min(64 * 1024)
  LIVE_JOURNAL_BYTES: number = 64 * 1024 * 1024;

  /**
   * Keys that may write (and read), comma-separated. None: local-development mode, where writes
   * are open to anyone who reaches the port (said at start in a warn line).
   */
  @Transform(commaSeparated)
  @AreApiKeys()
  API_KEYS: string[] = [];

  /** Keys that may only read. When set, reads and live streams need a key too (any of both lists). */
  @Transform(commaSeparated)
  @AreApiKeys()
  READ_API_KEYS: string[] = [];

  /** Writes (POST, PUT, PATCH, DELETE requests) per minute per API key, or per IP without keys. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WRITE_RATE_LIMIT: number = 600;

  /** Live streams open at once per client: per API key when the request carries one, else per IP. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LIVE_MAX_CONNECTIONS_PER_CLIENT: number = 20;

  /**
   * Which proxies' `X-Forwarded-For` to believe, for per-client limits (rate limit, live streams)
   * counted by address: `false` (none: the peer's address is the client's), `true` (any), a hop
   * count (`1`: the nearest proxy), or comma-separated addresses or CIDR ranges of the proxies.
   * Behind a TLS proxy, without it every anonymous client shares the proxy's address and budget.
   */
  @Matches(/^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count, or comma-separated proxy addresses or CIDR ranges',
  })
  TRUST_PROXY = 'false';

  /** What-if branches: live (not deleted) branches one client may hold, by API key (by IP without keys). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  BRANCH_MAX_PER_CLIENT: number = 100;

  /** What-if branches: live branches in the store, every client together (every instance on the store shares them). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  BRANCH_MAX_TOTAL: number = 10_000;

  /** Replays: one that no client streams or steers for this long (ms) is dropped. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  REPLAY_IDLE_TIMEOUT_MS: number = 10 * 60 * 1000;

  /** Where the seed reports are (one JSON report per file). */
  @IsString()
  @IsNotEmpty()
  SEEDS_DIR = './seeds';
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/**
 * Validates the environment once, before Nest starts (the logger needs its level first); the
 * result is what `ConfigService` serves. Unset variables take the defaults above.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment());
  const given = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''),
  );
  const env = plainToInstance(Environment, given, { exposeDefaultValues: true });
  const problems = validateSync(env, { forbidUnknownValues: false }).map((error) => {
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    // quote what the operator wrote, not the converted value (implicit conversion makes "abc" NaN);
    // a secret is never quoted
    const given = SECRET_SETTINGS.has(error.property) ? '(not shown)' : JSON.stringify(String(raw[error.property]));
    return `${error.property}=${given}: ${reasons}`;
  });
  if (env.READ_API_KEYS?.length > 0 && env.API_KEYS?.length === 0) {
    problems.push('READ_API_KEYS=(not shown): reads need a key but writes would be open; set API_KEYS too');
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return env;
}

/** TRUST_PROXY as Fastify's `trustProxy` option takes it (a hop count as the function Fastify would make of it). */
export function trustProxyOption(value: string): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value
    .split(',')
    .map((part) => part.trim())
    .join(',');
}

import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { DEFAULT_FORMATION, FORMATIONS } from '@squad/projections';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Max, Min, validateSync } from 'class-validator';

export const EVENT_STORE_KINDS = ['sqlite'] as const;
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

  /** Which event-store adapter to open. */
  @IsIn(EVENT_STORE_KINDS)
  EVENT_STORE: (typeof EVENT_STORE_KINDS)[number] = 'sqlite';

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
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'SEED_ON_EMPTY must be true or false' })
  SEED_ON_EMPTY: boolean = true;

  /** The read models' checkpoint file (`none`: keep none, replay the store at every start). */
  @IsString()
  @IsNotEmpty()
  READ_MODEL_SNAPSHOT_PATH = './data/read-models.snapshot';

  /** Formation the squad-depth verdicts are judged against unless a request names one. */
  @IsIn(Object.keys(FORMATIONS))
  DEFAULT_FORMATION = DEFAULT_FORMATION;

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
  const errors = validateSync(env, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map((error) => {
        const reasons = Object.values(error.constraints ?? {}).join('; ');
        // quote what the operator wrote, not the converted value (implicit conversion makes "abc" NaN)
        return `${error.property}=${JSON.stringify(String(raw[error.property]))}: ${reasons}`;
      }),
    );
  }
  return env;
}

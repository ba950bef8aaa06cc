import { InvalidEnvironmentError, validateEnvironment } from './environment';

describe(validateEnvironment.name, () => {
  it('fills every default on an empty environment', () => {
    expect({ ...validateEnvironment({}) }).toEqual({
      PORT: 3000,
      HOST: '0.0.0.0',
      EVENT_STORE: 'sqlite',
      SQLITE_PATH: './data/squad.db',
      SQLITE_SYNCHRONOUS: 'FULL',
      LOG_LEVEL: 'info',
      BODY_LIMIT_BYTES: 1048576,
      SEED_ON_EMPTY: true,
      SEEDS_DIR: './seeds',
      READ_MODEL_SNAPSHOT_PATH: './data/read-models.snapshot',
      DEFAULT_FORMATION: '4-3-3',
    });
  });

  it('converts and keeps given values, ignoring unrelated variables', () => {
    const env = validateEnvironment({ PORT: '8080', SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug', SEED_ON_EMPTY: 'false', HOME: '/root' });
    expect(env).toMatchObject({ PORT: 8080, SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug', SEED_ON_EMPTY: false });
    expect(env).not.toHaveProperty('HOME');
  });

  it('names every bad variable, what was given and why', () => {
    let error: unknown;
    try {
      validateEnvironment({ PORT: 'abc', EVENT_STORE: 'mongodb', SQLITE_SYNCHRONOUS: 'OFF', SEED_ON_EMPTY: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const problems = (error as InvalidEnvironmentError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^PORT="abc": .*integer/);
    expect(problems[1]).toMatch(/^EVENT_STORE="mongodb": .*sqlite/);
    expect(problems[2]).toMatch(/^SQLITE_SYNCHRONOUS="OFF": .*FULL, NORMAL/);
    expect(problems[3]).toBe('SEED_ON_EMPTY="yes": SEED_ON_EMPTY must be true or false');
  });
});

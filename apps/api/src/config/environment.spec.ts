import { InvalidEnvironmentError, trustProxyOption, validateEnvironment } from './environment';

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
      DATABASE_SCHEMA: 'event_store',
      LIVE_HEARTBEAT_MS: 15000,
      LIVE_CLIENT_BUFFER_BYTES: 1048576,
      LIVE_JOURNAL_BYTES: 67108864,
      API_KEYS: [],
      READ_API_KEYS: [],
      WRITE_RATE_LIMIT: 600,
      LIVE_MAX_CONNECTIONS_PER_CLIENT: 20,
      BRANCH_MAX_PER_CLIENT: 100,
      BRANCH_MAX_TOTAL: 10000,
      REPLAY_IDLE_TIMEOUT_MS: 600000,
      TRUST_PROXY: 'false',
    });
  });

  it('converts and keeps given values, ignoring unrelated variables', () => {
    const env = validateEnvironment({
      PORT: '8080',
      SQLITE_PATH: ':memory:',
      LOG_LEVEL: 'debug',
      SEED_ON_EMPTY: 'false',
      HOME: '/root',
    });
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

  it('reads API keys as comma-separated lists', () => {
    const env = validateEnvironment({
      API_KEYS: ' write-key-0123456789, write-key-abcdefghij ,',
      READ_API_KEYS: 'read-key-0123456789abcdef',
    });
    expect(env.API_KEYS).toEqual(['write-key-0123456789', 'write-key-abcdefghij']);
    expect(env.READ_API_KEYS).toEqual(['read-key-0123456789abcdef']);
  });

  it('refuses short keys, odd characters and duplicates, naming each key by its place and never quoting it', () => {
    const secrets = ['short-secret', 'has space in it 0123', 'dup-key-0123456789abc', 'dup-key-0123456789abc'];
    let error: unknown;
    try {
      validateEnvironment({ API_KEYS: secrets.join(',') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    expect(message).toContain('API_KEYS=(not shown)');
    expect(message).toContain('key 1 of 4 has 12 characters; a key needs at least 16');
    expect(message).toContain('key 2 of 4 has a character other than');
    expect(message).toContain('a key is listed twice');
    for (const secret of secrets) expect(message).not.toContain(secret.trim());
  });

  it('refuses read keys without write keys (reads closed, writes open)', () => {
    expect(() => validateEnvironment({ READ_API_KEYS: 'read-key-0123456789abcdef' })).toThrow(
      /READ_API_KEYS=\(not shown\): .*set API_KEYS too/,
    );
  });
});

describe(trustProxyOption.name, () => {
  it('reads TRUST_PROXY as Fastify takes it, and refuses anything else', () => {
    expect(trustProxyOption(validateEnvironment({}).TRUST_PROXY)).toBe(false);
    expect(trustProxyOption(validateEnvironment({ TRUST_PROXY: 'true' }).TRUST_PROXY)).toBe(true);
    const twoHops = trustProxyOption(validateEnvironment({ TRUST_PROXY: '2' }).TRUST_PROXY) as (
      address: string,
      hop: number,
    ) => boolean;
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(trustProxyOption(validateEnvironment({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY)).toBe(
      '10.0.0.0/8,127.0.0.1',
    );
    expect(() => validateEnvironment({ TRUST_PROXY: 'my-proxy.example' })).toThrow(
      /TRUST_PROXY="my-proxy.example": TRUST_PROXY must be true, false, a hop count/,
    );
  });
});

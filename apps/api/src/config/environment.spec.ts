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
    });
  });

  it('converts and keeps given values, ignoring unrelated variables', () => {
    const env = validateEnvironment({ PORT: '8080', SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug', HOME: '/root' });
    expect(env).toMatchObject({ PORT: 8080, SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug' });
    expect(env).not.toHaveProperty('HOME');
  });

  it('names every bad variable, what was given and why', () => {
    let error: unknown;
    try {
      validateEnvironment({ PORT: 'abc', EVENT_STORE: 'mongodb', SQLITE_SYNCHRONOUS: 'OFF' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const problems = (error as InvalidEnvironmentError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^PORT="abc": .*integer/);
    expect(problems[1]).toMatch(/^EVENT_STORE="mongodb": .*sqlite/);
    expect(problems[2]).toMatch(/^SQLITE_SYNCHRONOUS="OFF": .*FULL, NORMAL/);
  });
});

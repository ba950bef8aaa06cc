/**
 * One jest run for every level; the file name says the level:
 * *.spec.ts (unit), *.int-spec.ts (real store or process), *.e2e-spec.ts (HTTP).
 */
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  // NestJS 12 and some of its dependencies ship as ES modules only. Node 20 loads them from our
  // CommonJS build natively (require(esm)), but Jest on Node 20 cannot, so Jest compiles them
  // to CommonJS with the same swc transform as our sources.
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swc, swcrc: false }] },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|uid|strtok3|token-types|@tokenizer|peek-readable|load-esm|content-disposition)/)',
  ],
  moduleNameMapper: {
    '^@squad/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@squad/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testTimeout: 30000,
  // counts the answers validated against the OpenAPI document in the run (apps/api/test/contract)
  globalSetup: '<rootDir>/apps/api/test/contract/conformance.setup.js',
  globalTeardown: '<rootDir>/apps/api/test/contract/conformance.teardown.js',
};

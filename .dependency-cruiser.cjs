// @ts-check
/**
 * Architecture rules, checked by `npm run lint` (depcruise apps libs test --config .dependency-cruiser.cjs).
 * Paths are relative to the repository root; @squad/* aliases resolve through tsconfig.json "paths".
 */

/** Test code: spec files, anything under a test/ folder, and test support under testing/. Layer rules do not apply to it. */
const TEST = ['\\.spec\\.ts$', '-spec\\.ts$', '(^|/)test/', '(^|/)testing/'];

/** The event-store port: the port itself and its barrel (@squad/event-store). */
const STORE_PORT = '^libs/event-store/src/(event-store\\.port|index)\\.ts$';

const FEATURES = '(reports|read-models|branches|replays|live|health)';
const SHARED = '(access|config|errors|http|logging|histories|openapi)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-depends-on-nothing',
      comment: 'libs/domain/src imports nothing outside itself: no packages, no node builtins, no other lib.',
      severity: 'error',
      from: { path: '^libs/domain/src/', pathNot: TEST },
      to: { pathNot: '^libs/domain/src/' },
    },
    {
      name: 'projections-only-domain-and-store-port',
      comment:
        'libs/projections/src imports only itself, the domain, the event-store port (event-store.port.ts, ' +
        'the index.ts barrel) and node builtins: no @nestjs, no class-validator, no event-store adapters.',
      severity: 'error',
      from: { path: '^libs/projections/src/', pathNot: TEST },
      to: {
        pathNot: ['^libs/projections/src/', '^libs/domain/src/', STORE_PORT],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'write-side-framework-free',
      comment:
        'libs/reports/src (except its http/ and nest/ folders) imports only itself, the domain, the ' +
        'event-store port and node builtins: no @nestjs, class-validator, class-transformer, no adapters. ' +
        'One library is allowed: csv-parse, the CSV parser of the Transfermarkt import (a parser, not a framework).',
      severity: 'error',
      from: { path: '^libs/reports/src/', pathNot: ['^libs/reports/src/(http|nest)/', ...TEST] },
      to: {
        pathNot: ['^libs/reports/src/', '^libs/domain/src/', STORE_PORT, '^node_modules/csv-parse/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'no-feature-to-feature',
      comment: `A feature folder of apps/api/src ${FEATURES} does not import another feature folder.`,
      severity: 'error',
      from: { path: `^apps/api/src/${FEATURES}/`, pathNot: TEST },
      to: { path: `^apps/api/src/${FEATURES}/`, pathNot: '^apps/api/src/$1/' },
    },
    {
      name: 'no-shared-to-feature',
      comment: `The shared folders of apps/api/src ${SHARED} do not import feature folders ${FEATURES}.`,
      severity: 'error',
      from: { path: `^apps/api/src/${SHARED}/`, pathNot: TEST },
      to: { path: `^apps/api/src/${FEATURES}/` },
    },
    {
      name: 'libs-not-to-apps',
      comment: 'Nothing under libs/ (sources or tests) imports from apps/.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module that nothing imports and that imports nothing is probably dead.',
      severity: 'warn',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$', // dot files
          '\\.d\\.ts$',
          '(^|/)tsconfig[^/]*\\.json$',
          '(^|/)[^/]+\\.config\\.(js|cjs|mjs|ts|json)$',
          ...TEST, // specs and test support
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^dist/', '^libs/client/dist/', '^coverage/', '^data/', '^apps/api/public/'] }, // public/: the browser dashboard, no modules
    // type-only imports count too: a type from @nestjs still couples a layer to it
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};

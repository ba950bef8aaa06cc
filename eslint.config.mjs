// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'data/', 'test/artifacts/', 'apps/api/public/vendor/']),

  // TypeScript sources and tests: type-checked rules, one program from tsconfig.json
  // (it includes apps/**, libs/** and test/**).
  {
    name: 'squad/typescript',
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
      // `const { omitted: _omitted, ...rest } = value` is how we drop keys from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always'],
    },
  },

  // Tests only: the no-unsafe-* family is off. HTTP/JSON bodies and fast-check values are `any` by
  // nature, and the assertions are the check. Goes away once tests use the typed client generated
  // from the OpenAPI document. See CONTRIBUTING.md, "Lint rules we argue".
  {
    name: 'squad/tests-unsafe-any',
    files: ['**/*.spec.ts', '**/*-spec.ts', '**/testing/**/*.ts', 'apps/api/test/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },

  // The dashboard: a plain browser module, not type-checked; it imports the typed client's
  // bundle (apps/api/public/vendor, built by `npm run build:dashboard`).
  {
    name: 'squad/dashboard',
    files: ['apps/api/public/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: globals.browser },
    rules: {
      'no-unused-vars': ['error', { ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always'],
    },
  },

  // Tool configs at the root: Node, not type-checked. jest.config.js and *.cjs are CommonJS.
  {
    name: 'squad/config-files',
    files: ['*.js', '*.cjs', '*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'squad/commonjs',
    files: ['jest.config.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // Last: turn off every rule that conflicts with Prettier.
  prettier,
);

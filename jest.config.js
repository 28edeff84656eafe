/** Jest runs the TypeScript sources as ESM (inversify 8 is ESM-only). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/moto-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/moto-global-teardown.ts',
  testTimeout: 60_000,
};

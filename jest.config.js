// `unit` runs anywhere in seconds; `cluster` needs the real cluster from
// `npm run cluster:up` (or any kubeconfig context); `kind` needs the kind
// cluster from `npm run kind:up`.
// @hpcc-js/wasm-graphviz ships ESM only: swc turns it into CommonJS for jest
// (Node itself loads it with require(esm)).
const transform = { '^.+\\.ts$': ['@swc/jest'], '/node_modules/@hpcc-js/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }] };
const transformIgnorePatterns = ['/node_modules/(?!@hpcc-js/)'];
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, transformIgnorePatterns, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    // Real Chromium (Debian's, installed by test/browser/setup.sh when missing and possible).
    {
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.js',
    },
    {
      displayName: 'cluster',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/kind/'],
    },
    { displayName: 'kind', testEnvironment: 'node', transform, transformIgnorePatterns, testMatch: ['<rootDir>/test/integration/kind/**/*.test.ts'] },
  ],
};

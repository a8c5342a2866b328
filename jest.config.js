// Two projects: `unit` runs anywhere in seconds; `cluster` needs the real
// cluster from `npm run cluster:up` (or any kubeconfig context).
const transform = { '^.+\\.ts$': ['@swc/jest'] };
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      displayName: 'cluster',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};

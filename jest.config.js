/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // FEEL (feelin) and its parser ship as ES modules only; swc turns them into CommonJS for jest.
  transform: { '^.+\\.(ts|js|mjs|cjs)$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(@electric-sql|@bpmn-io/feelin|@bpmn-io/lezer-feel|feelin|lezer-feel|@lezer|luxon|bpmn-moddle|moddle|moddle-xml|saxen|min-dash|zeebe-bpmn-moddle)/)'],
  testTimeout: 60000,
  // Each suite starts its own engine on its own port and database; two workers suit the 2-core machines.
  maxWorkers: 2,
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Pulumi keeps process-wide state (the mock runtime); jest 30's globals cleanup breaks it.
  testEnvironmentOptions: { globalsCleanup: "off" },
  // ts-jest compiles each file on its own (fast; `tsc --noEmit` type-checks): it follows
  // `isolatedModules` in tsconfig.json (ts-jest 29.4 deprecates its own option of that name).
  transform: { "^.+\\.ts$": "ts-jest" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  // No test connects anywhere but 127.0.0.1 (test/support/netGuard.ts).
  setupFilesAfterEnv: ["<rootDir>/test/support/netGuard.setup.ts"],
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
};

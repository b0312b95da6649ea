import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `refinery`, `refinery/pipelines` and `refinery/testing` resolve to the TypeScript sources in tests (the
  // package.json `refinery-source` export condition), so a checkout needs no build; the package's users get dist/.
  ssr: { resolve: { conditions: ['refinery-source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/announce-sandbox-mode.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

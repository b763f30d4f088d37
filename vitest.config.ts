import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/**/*.test.ts',
      'deploy/**/*.test.ts',
      'drills/**/*.test.ts',
      'services/**/*.test.ts',
      'bin/**/*.test.ts',
      'e2e/**/*.test.ts',
      'apps/web/**/*.test.{ts,tsx}',
    ],
    exclude: ['**/node_modules/**', '**/.next/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['./packages/platform/src/testing/global-setup.ts'],
  },
});

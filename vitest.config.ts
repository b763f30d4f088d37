import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web app's own import alias (apps/web/tsconfig.json "paths"), for its component tests.
  resolve: {
    alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./apps/web/src/', import.meta.url)) }],
  },
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

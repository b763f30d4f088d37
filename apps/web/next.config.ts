import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const here = path.dirname(fileURLToPath(import.meta.url));

const config: NextConfig = {
  // Workspace packages ship TypeScript sources (their `exports` point at src/*.ts).
  transpilePackages: ['@flatrender/contracts', '@flatrender/engine'],
  // The monorepo root: workspace packages and hoisted node_modules live above this app.
  turbopack: { root: path.join(here, '..', '..') },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;

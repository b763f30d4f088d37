import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'index.ts');

describe('@flatrender/engine in the browser', () => {
  it('bundles for the browser without Node built-ins or native modules', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.includes('@napi-rs') || p.includes('fontkit') || p.startsWith('node:'))).toBe(
      false,
    );
    expect(inputs.some((p) => p.includes('src/blocks/title-card.block.ts'))).toBe(true);
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const dynamic = 'force-dynamic';

/**
 * The engine's own assets (`builtin:photos/sea.jpg` in templates), served to the studio preview from
 * the engine package, the same files render nodes draw.
 */
const ASSET_DIR = path.resolve(
  process.env.FLATRENDER_ENGINE_ASSETS ??
    path.join(process.cwd(), '..', '..', 'packages', 'engine', 'assets'),
);

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
};

export async function GET(_request: Request, context: { params: Promise<{ path: string[] }> }) {
  const { path: parts } = await context.params;
  const file = path.resolve(/*turbopackIgnore: true*/ ASSET_DIR, ...parts);
  const type = TYPES[path.extname(file).toLowerCase()];
  if (!file.startsWith(ASSET_DIR + path.sep) || !type)
    return Response.json({ error: { code: 'not_found', message: 'No such asset.' } }, { status: 404 });
  try {
    const bytes = await readFile(file);
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': type,
        'cache-control': 'public, max-age=86400',
        'x-content-type-options': 'nosniff',
        // Engine SVGs are drawn as images only; no script may run if one is opened directly.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      },
    });
  } catch {
    return Response.json({ error: { code: 'not_found', message: 'No such asset.' } }, { status: 404 });
  }
}

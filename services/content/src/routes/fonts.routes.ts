import multipart from '@fastify/multipart';
import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import {
  BlobNotFoundError,
  badRequest,
  HttpError,
  type HttpServer,
  notFound,
  type Principal,
  requirePrincipal,
} from '@flatrender/platform';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Access, adminAccess, inScope, tenantAccess } from '../content-access';
import { fontFaceCss } from '../domain/font-css';
import { FONT_FAMILY, FONT_MIME, type FontClaims } from '../domain/font-inspection';
import { fontLinkExpiry, fontLinkSignature, verifyFontLink } from '../domain/font-links';
import { type FontRow, findFont, listFonts } from '../font.repository';
import { errorResponses, fontListResponse, fontParams, fontSchema } from './content.schemas';
import type { ContentRouteDeps } from './route-deps';

const TAG = ['fonts'];
const YEAR = 31_536_000;

const uploadResponse = z.object({ font: fontSchema, created: z.boolean() });
const uploadSchema = {
  consumes: ['multipart/form-data'],
  description:
    'multipart/form-data with the font file in `file` (TTF, OTF or WOFF2) and, to settle what the file itself leaves ambiguous, optional `family`, `weight` (100..900) and `style` (normal|italic) fields. 201 when installed, 200 when exactly this file was installed already.',
  response: { 200: uploadResponse, 201: uploadResponse, 413: errorResponses[422], ...errorResponses },
};

/**
 * `/v1/fonts` (installed faces, their files for `@font-face`, the generated CSS, tenant uploads) and
 * `/v1/admin/fonts` (platform faces).
 */
export async function registerFontRoutes(app: HttpServer, deps: ContentRouteDeps): Promise<void> {
  const { ctx, config, db, fontService } = deps;
  const publicUrl = ctx.config.publicUrl;
  await app.register(multipart, {
    limits: { fileSize: config.maxFontBytes, files: 1, fields: 8, parts: 9, fieldSize: 200 },
  });

  function fileUrl(font: FontRow): string {
    const base = `${publicUrl}/v1/fonts/${font.id}/file`;
    if (font.tenant_id === PLATFORM_TENANT_ID) return base;
    const exp = fontLinkExpiry(Date.now(), config.fontUrlTtlSeconds);
    return `${base}?exp=${exp}&sig=${fontLinkSignature(ctx.secret, font.id, exp)}`;
  }

  function view(font: FontRow): z.infer<typeof fontSchema> {
    return {
      id: font.id,
      family: font.family,
      weight: font.weight,
      style: font.style,
      format: font.format,
      visibility: font.tenant_id === PLATFORM_TENANT_ID ? 'platform' : 'tenant',
      css_family: font.style === 'normal' ? `${font.family} ${font.weight}` : null,
      scripts: font.scripts as z.infer<typeof fontSchema>['scripts'],
      coverage: font.coverage,
      content_hash: font.content_hash,
      size_bytes: font.size_bytes,
      url: fileUrl(font),
      installed_at: font.installed_at.toISOString(),
    };
  }

  /** Reads the multipart upload: the file (bounded by CONTENT_MAX_FONT_BYTES) and the optional fields. */
  async function readUpload(req: FastifyRequest): Promise<{ bytes: Buffer; claims: FontClaims }> {
    if (!req.isMultipart())
      throw badRequest('multipart_required', 'Send the font as multipart/form-data in "file".', 'file');
    let bytes: Buffer | undefined;
    const claims: FontClaims = {};
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file')
            throw badRequest(
              'unexpected_file',
              `Only one file, in "file" (got "${part.fieldname}").`,
              part.fieldname,
            );
          bytes = await part.toBuffer();
          claims.fileName = part.filename;
          claims.contentType = part.mimetype;
          continue;
        }
        const value = String(part.value ?? '').trim();
        if (value === '') continue;
        if (part.fieldname === 'family') {
          if (!FONT_FAMILY.test(value))
            throw badRequest(
              'invalid_family',
              'family: Latin letters, digits, space, "_" and "-", at most 63.',
              'family',
            );
          claims.family = value;
        } else if (part.fieldname === 'weight') {
          const weight = Number(value);
          if (!Number.isInteger(weight) || weight < 100 || weight > 900 || weight % 100 !== 0)
            throw badRequest('invalid_weight', 'weight: one of 100, 200, ... 900.', 'weight');
          claims.weight = weight;
        } else if (part.fieldname === 'style') {
          if (value !== 'normal' && value !== 'italic')
            throw badRequest('invalid_style', 'style: "normal" or "italic".', 'style');
          claims.style = value;
        } else {
          throw badRequest(
            'unknown_field',
            `Unknown field "${part.fieldname}" (file, family, weight, style).`,
            part.fieldname,
          );
        }
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        throw new HttpError(413, 'file_too_large', `file: larger than ${config.maxFontBytes} bytes.`, 'file');
      throw error;
    }
    if (!bytes || bytes.length === 0)
      throw badRequest('file_required', 'file: the font file is missing or empty.', 'file');
    return { bytes, claims };
  }

  async function upload(access: Access, req: FastifyRequest, reply: { code(status: number): unknown }) {
    const { bytes, claims } = await readUpload(req);
    const { font, created } = await fontService.install(access, bytes, claims);
    reply.code(created ? 201 : 200);
    return { font: view(font), created };
  }

  app.get(
    '/v1/fonts',
    {
      schema: {
        tags: TAG,
        summary: 'Installed font faces: the platform’s and your own',
        querystring: z.strictObject({ visibility: z.enum(['platform', 'tenant']).optional() }),
        response: { 200: fontListResponse, ...errorResponses },
      },
    },
    async (req) => {
      const access = tenantAccess(requirePrincipal(req, { scope: 'templates:read' }));
      const rows = await inScope(db, access, (tx) =>
        listFonts(tx, req.query.visibility ? { visibility: req.query.visibility } : {}),
      );
      return { items: rows.map(view) };
    },
  );

  app.get(
    '/v1/fonts/faces.css',
    {
      schema: {
        tags: TAG,
        summary:
          '@font-face rules of every installed face (platform faces for everyone, yours when signed in)',
        produces: ['text/css'],
      },
    },
    // Public on purpose: stylesheets are loaded without credentials. Anonymous callers get the
    // platform's faces only; a signed-in caller also gets its tenant's faces (signed links).
    async (req, reply) => {
      const principal: Principal | undefined = req.principal;
      const rows = principal
        ? await inScope(db, tenantAccess(principal), (tx) => listFonts(tx))
        : await db.asSystem((tx) => listFonts(tx, { visibility: 'platform' }));
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', principal ? 'private, max-age=300' : 'public, max-age=300');
      return fontFaceCss(rows.map((r) => ({ ...r, url: fileUrl(r) })));
    },
  );

  app.get(
    '/v1/fonts/:id',
    {
      schema: {
        tags: TAG,
        summary: 'One installed face with its coverage',
        params: fontParams,
        response: { 200: fontSchema, ...errorResponses },
      },
    },
    async (req) => {
      const access = tenantAccess(requirePrincipal(req, { scope: 'templates:read' }));
      const font = await inScope(db, access, (tx) => findFont(tx, req.params.id));
      if (!font) throw notFound(`Font ${req.params.id}`);
      return view(font);
    },
  );

  app.get(
    '/v1/fonts/:id/file',
    {
      schema: {
        tags: TAG,
        summary:
          'The font file, for @font-face (platform faces are public; tenant faces need a signed link or your token)',
        params: fontParams,
        querystring: z.object({ exp: z.string().optional(), sig: z.string().optional() }),
      },
    },
    async (req, reply) => {
      const font = await db.asSystem((tx) => findFont(tx, req.params.id));
      const platform = font?.tenant_id === PLATFORM_TENANT_ID;
      const allowed =
        font &&
        (platform ||
          req.principal?.tenantId === font.tenant_id ||
          verifyFontLink(ctx.secret, font.id, req.query));
      // Another tenant's face is answered exactly like a missing one.
      if (!font || !allowed) throw notFound(`Font ${req.params.id}`);
      const origin = req.headers.origin;
      if (origin && origin === ctx.config.webOrigin)
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      reply
        .header('content-type', FONT_MIME[font.format])
        .header('cache-control', `${platform ? 'public' : 'private'}, max-age=${YEAR}, immutable`)
        .header('etag', `"${font.content_hash}"`)
        .header('x-content-type-options', 'nosniff')
        // Served to the web app's origin: fonts are fetched in CORS mode and may cross sites.
        .header('cross-origin-resource-policy', 'cross-origin');
      if (req.headers['if-none-match'] === `"${font.content_hash}"`) return reply.code(304).send();
      try {
        const body = await ctx.blobs.get(font.blob_key);
        reply.header('content-length', String(font.size_bytes));
        return reply.send(body);
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw notFound(`The file of font ${font.id}`);
        throw error;
      }
    },
  );

  app.post(
    '/v1/fonts',
    { schema: { tags: TAG, summary: 'Install a font face for your tenant', ...uploadSchema } },
    (req, reply) => upload(tenantAccess(requirePrincipal(req, { role: 'editor' })), req, reply),
  );

  app.get(
    '/v1/admin/fonts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every installed face (platform and tenants)',
        querystring: z.strictObject({ visibility: z.enum(['platform', 'tenant']).optional() }),
        response: { 200: fontListResponse, ...errorResponses },
      },
    },
    async (req) => {
      requirePrincipal(req, { platformAdmin: true });
      const rows = await db.asSystem((tx) =>
        listFonts(tx, req.query.visibility ? { visibility: req.query.visibility } : {}),
      );
      return { items: rows.map(view) };
    },
  );

  app.post(
    '/v1/admin/fonts',
    { schema: { tags: ['admin'], summary: 'Install a platform font face', ...uploadSchema } },
    (req, reply) => upload(adminAccess(requirePrincipal(req, { platformAdmin: true })), req, reply),
  );
}

import { PLATFORM_TENANT_ID } from '@flatrender/contracts';
import { conflict, HttpError, type ScopedDatabase, type ServiceContext } from '@flatrender/platform';
import type { ContentTables } from './content.tables';
import { type Access, inScope, ownerTenant } from './content-access';
import { isUniqueViolation } from './db-errors';
import { sha256Hex } from './domain/canonical-json';
import { fontFileKey } from './domain/content-keys';
import { FONT_MIME, type FontClaims, FontRejectedError, inspectFont } from './domain/font-inspection';
import { type FontRow, familyTakenByOther, findFace, insertFont } from './font.repository';

export interface InstallResult {
  font: FontRow;
  /** False when exactly this file was installed already (installing is idempotent). */
  created: boolean;
}

/**
 * Installs font faces: checks the file (domain/font-inspection.ts), stores it content-addressed and
 * announces it with `content.font.installed.v1` so render nodes fetch it before any job needs it.
 * Platform faces are installed by administrators and the seed; tenant faces by the tenant's editors.
 */
export class FontService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly db: ScopedDatabase<ContentTables>,
  ) {}

  async install(access: Access, bytes: Buffer, claims: FontClaims): Promise<InstallResult> {
    let inspected: ReturnType<typeof inspectFont>;
    try {
      inspected = inspectFont(bytes, claims);
    } catch (error) {
      if (error instanceof FontRejectedError)
        throw new HttpError(422, error.code, error.message, error.field);
      throw error;
    }
    const tenantId = ownerTenant(access);
    const hash = sha256Hex(bytes);
    const face = {
      tenant_id: tenantId,
      family: inspected.family,
      weight: inspected.weight,
      style: inspected.style,
    };

    const existing = await inScope(this.db, access, async (tx) => {
      const same = await findFace(tx, face);
      if (same) return same;
      if (await familyTakenByOther(tx, inspected.family, tenantId))
        throw conflict(
          'font_family_taken',
          tenantId === PLATFORM_TENANT_ID
            ? `family: "${inspected.family}" is used by a tenant's fonts; choose another family name`
            : `family: "${inspected.family}" is a platform font family; choose another family name`,
        );
      return undefined;
    });
    if (existing) return this.alreadyInstalled(existing, hash);

    const key = fontFileKey(hash, inspected.format);
    if (!(await this.ctx.blobs.head(key)))
      await this.ctx.blobs.put(key, bytes, {
        contentType: FONT_MIME[inspected.format],
        contentLength: bytes.length,
      });

    try {
      const font = await inScope(this.db, access, async (tx) => {
        const font = await insertFont(tx, {
          ...face,
          format: inspected.format,
          content_hash: hash,
          blob_key: key,
          size_bytes: bytes.length,
          scripts: inspected.scripts,
          coverage: JSON.stringify(inspected.coverage),
          codepoint_ranges: JSON.stringify(inspected.codepointRanges),
          postscript_name: inspected.postscriptName,
          full_name: inspected.fullName,
          font_version: inspected.version,
          installed_by: access.userId,
        });
        await this.ctx.emit(
          tx,
          'content.font.installed.v1',
          {
            font_id: font.id,
            font: {
              family: font.family,
              weight: font.weight,
              style: font.style,
              content_hash: hash,
              blob_key: key,
            },
            format: font.format,
            size_bytes: font.size_bytes,
            scripts: inspected.scripts,
            visibility: tenantId === PLATFORM_TENANT_ID ? 'platform' : 'tenant',
            installed_at: font.installed_at.toISOString(),
          },
          { tenantId, userId: access.userId },
        );
        return font;
      });
      return { font, created: true };
    } catch (error) {
      // Two uploads of the same face at once: the loser sees the winner's row.
      if (!isUniqueViolation(error)) throw error;
      const winner = await inScope(this.db, access, (tx) => findFace(tx, face));
      if (!winner) throw error;
      return this.alreadyInstalled(winner, hash);
    }
  }

  private alreadyInstalled(existing: FontRow, hash: string): InstallResult {
    if (existing.content_hash !== hash)
      throw conflict(
        'font_exists',
        `${existing.family} ${existing.weight} ${existing.style} is installed already with another file; a face never changes its file`,
        { font_id: existing.id },
      );
    return { font: existing, created: false };
  }
}

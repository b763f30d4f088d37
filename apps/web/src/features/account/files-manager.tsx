'use client';

import { useCallback, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Alert, Badge, EmptyState, ProgressBar } from '@/components/ui/feedback';
import { SelectField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { formatBytes, formatDate, formatPercent } from '@/i18n/format';
import { api, apiPath, uploadMultipart } from '@/lib/api/client';
import type { FileView } from '@/lib/api/types';
import styles from './account.module.css';
import type { Page, StorageUsage } from './account-types';
import { ConfirmDialog } from './confirm-dialog';
import { QuotaBar } from './quota-bar';

const KINDS = ['image', 'video', 'audio', 'font', 'svg', 'render_output'] as const;

function kindLabel(kind: string): `kind.${(typeof KINDS)[number] | 'other'}` {
  return (KINDS as readonly string[]).includes(kind) ? (`kind.${kind}` as `kind.image`) : 'kind.other';
}

/** The workspace's files with the storage quota: upload with progress, filter, download, delete. */
export function FilesManager({
  initialFiles,
  initialUsage,
  canWrite,
}: {
  initialFiles: Page<FileView>;
  initialUsage: StorageUsage;
  canWrite: boolean;
}) {
  const t = useT(accountText);
  const locale = useLocale();
  const [files, setFiles] = useState(initialFiles.items);
  const [cursor, setCursor] = useState(initialFiles.next_cursor);
  const [usage, setUsage] = useState(initialUsage);
  const [kind, setKind] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ name: string; progress: number } | null>(null);
  const [deleting, setDeleting] = useState<FileView | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const refreshUsage = useCallback(async () => {
    try {
      setUsage(await api.get<StorageUsage>('/v1/files/usage'));
    } catch {
      // The list is what matters; the bar catches up on the next change.
    }
  }, []);

  const load = async (nextKind: string, after?: string) => {
    try {
      const page = await api.get<Page<FileView>>('/v1/files', { limit: 30, kind: nextKind, cursor: after });
      setFiles((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const onFile = async (file: File) => {
    setError(null);
    setNotice(null);
    setUpload({ name: file.name, progress: 0 });
    try {
      const created = await uploadMultipart<FileView>('/v1/files', file, file.name, {
        query: { purpose: file.type.startsWith('font/') ? 'font' : 'project_asset' },
        onProgress: (progress) => setUpload({ name: file.name, progress }),
      });
      if (!kind || created.kind === kind) setFiles((list) => [created, ...list]);
      setNotice(t('files.uploaded', { name: created.original_name }));
      await refreshUsage();
    } catch (e) {
      setError(e);
    } finally {
      setUpload(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="fr-stack">
      <section className="fr-card">
        <QuotaBar usage={usage} />
      </section>
      <div className={styles.toolbar}>
        <div style={{ minInlineSize: 180 }}>
          <SelectField
            label={t('files.kind')}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              void load(e.target.value);
            }}
            options={[
              { value: '', label: t('files.all') },
              ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
            ]}
          />
        </div>
        <div className="fr-grow" />
        {canWrite ? (
          <>
            <input
              ref={input}
              type="file"
              hidden
              data-testid="file-input"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void onFile(file);
              }}
            />
            <Button
              variant="primary"
              onClick={() => input.current?.click()}
              disabled={upload !== null || usage.suspended}
            >
              {t('files.upload')}
            </Button>
          </>
        ) : null}
      </div>
      {upload ? (
        <div className="fr-stack" style={{ gap: 6 }}>
          <span className="fr-small">
            {t('files.uploading', { name: upload.name })} {formatPercent(upload.progress, locale)}
          </span>
          <ProgressBar value={upload.progress} label={t('files.uploading', { name: upload.name })} />
        </div>
      ) : null}
      <FormError error={error} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {files.length === 0 ? (
        <EmptyState title={t('files.empty')}>
          <p>{t('files.emptyHint')}</p>
        </EmptyState>
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <table className="fr-table" data-testid="files-table">
            <thead>
              <tr>
                <th>{t('name')}</th>
                <th>{t('files.kind')}</th>
                <th>{t('files.size')}</th>
                <th>{t('created')}</th>
                <th>
                  <span className="fr-visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <tr key={file.id} data-testid="file-row" data-file={file.id}>
                  <td dir="auto" style={{ overflowWrap: 'anywhere' }}>
                    {file.original_name}
                  </td>
                  <td>
                    <Badge>{t(kindLabel(file.kind))}</Badge>
                  </td>
                  <td>{formatBytes(file.total_bytes ?? file.size_bytes, locale)}</td>
                  <td>{formatDate(file.created_at, locale)}</td>
                  <td>
                    <div className="fr-row" style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}>
                      <a
                        className="fr-btn fr-btn-ghost fr-btn-sm"
                        href={apiPath(`/v1/files/${file.id}/download`)}
                        download
                      >
                        {t('files.download')}
                      </a>
                      {canWrite ? (
                        <Button size="sm" variant="ghost" onClick={() => setDeleting(file)}>
                          {t('delete')}
                        </Button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor ? (
        <div>
          <Button onClick={() => load(kind, cursor)}>{t('loadMore')}</Button>
        </div>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={t('files.deleteTitle')}
        confirmLabel={t('delete')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.delete(`/v1/files/${deleting.id}`);
          setFiles((list) => list.filter((f) => f.id !== deleting.id));
          await refreshUsage();
        }}
      >
        <p dir="auto">{deleting ? t('files.deleteBody', { name: deleting.original_name }) : null}</p>
      </ConfirmDialog>
    </div>
  );
}

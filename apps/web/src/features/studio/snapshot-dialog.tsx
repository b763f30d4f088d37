'use client';

import { useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Spinner } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { commonText } from '@/i18n/dictionaries/common';
import { studioText } from '@/i18n/dictionaries/studio';
import { formatClock } from '@/i18n/format';
import { api, proxied } from '@/lib/api/client';
import { ApiError } from '@/lib/api/errors';
import type { Aspect, SnapshotRequest } from '@/lib/api/types';
import type { Snapshot } from '../renders/render-types';
import styles from './studio.module.css';

/** Long-polls until the render farm has drawn the snapshot (or gave up after about four minutes). */
async function waitForSnapshot(id: string, signal: AbortSignal): Promise<Snapshot> {
  for (let attempt = 0; attempt < 24; attempt++) {
    if (signal.aborted) throw new DOMException('aborted', 'AbortError');
    let snapshot: Snapshot;
    try {
      // The render service answers as soon as the still is ready or failed, else after 10 s.
      snapshot = await api.get<Snapshot>(`/v1/snapshots/${id}`, { wait: 10 }, signal);
    } catch (error) {
      // Over the rate limit while polling: slow down rather than give up on a still being drawn.
      if (!(error instanceof ApiError) || error.status !== 429) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      continue;
    }
    if (snapshot.status === 'failed')
      throw new ApiError(422, snapshot.error?.code ?? 'snapshot_failed', snapshot.error?.message ?? 'failed');
    if (snapshot.status === 'ready' && snapshot.url) return snapshot;
  }
  throw new ApiError(504, 'snapshot_timeout', 'The snapshot took too long.');
}

/** "Snapshot": the server draws the current frame exactly as a render would (a free still). */
export function SnapshotButton({
  projectId,
  aspect,
  currentTime,
  beforeRequest,
}: {
  projectId: string;
  aspect: Aspect;
  currentTime: () => number;
  beforeRequest: () => void;
}) {
  const t = useT(studioText);
  const common = useT(commonText);
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState(0);
  const [image, setImage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const request = async () => {
    beforeRequest();
    const time = Math.round(currentTime() * 1000) / 1000;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setAt(time);
    setImage(null);
    setError(null);
    setOpen(true);
    try {
      const requested = await api.post<SnapshotRequest>(`/v1/projects/${projectId}/snapshots`, {
        time,
        aspect,
        format: 'png',
      });
      const snapshot = await waitForSnapshot(requested.snapshot_id, controller.signal);
      setImage(proxied(snapshot.url) ?? null);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setError(e);
    }
  };

  return (
    <>
      <Button size="sm" onClick={request} data-testid="snapshot">
        {t('snapshot')}
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          abort.current?.abort();
          setOpen(false);
        }}
        title={t('snapshotTitle', { t: formatClock(at, locale, true) })}
        actions={
          <>
            {image ? (
              <a className="fr-btn fr-btn-secondary" href={image} download data-testid="snapshot-download">
                ⤓ PNG
              </a>
            ) : null}
            <Button
              onClick={() => {
                abort.current?.abort();
                setOpen(false);
              }}
            >
              {common('close')}
            </Button>
          </>
        }
      >
        <FormError error={error} />
        {image ? (
          // biome-ignore lint/performance/noImgElement: the snapshot through the same-origin proxy.
          <img className={styles.snapshotImage} src={image} alt="" data-testid="snapshot-image" />
        ) : error ? null : (
          <Spinner label={t('snapshotWaiting')} />
        )}
      </Dialog>
    </>
  );
}

'use client';

import { useCallback, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Badge, EmptyState } from '@/components/ui/feedback';
import { FormError } from '@/components/ui/form-error';
import styles from '@/features/account/account.module.css';
import { useLocale, useT } from '@/i18n/client';
import { adminText } from '@/i18n/dictionaries/admin';
import { formatBytes, formatDate, formatNumber, formatPercent } from '@/i18n/format';
import { api } from '@/lib/api/client';
import type { QueueDepth, RenderNode } from './admin-types';

/** How often the page asks for the farm's state (render nodes heartbeat every few seconds). */
export const FARM_POLL_MS = 3000;

const STATUS_TONE = { online: 'success', offline: 'neutral', crashed: 'danger' } as const;

function Meter({ value }: { value: number }) {
  return (
    <span className={styles.meter} aria-hidden="true">
      <span style={{ inlineSize: `${Math.round(Math.min(1, Math.max(0, value)) * 100)}%` }} />
    </span>
  );
}

/** Render nodes and queue depths, polled while the page is open and visible. */
export function FarmLive({
  initialNodes,
  initialQueues,
}: {
  initialNodes: RenderNode[];
  initialQueues: QueueDepth[];
}) {
  const t = useT(adminText);
  const locale = useLocale();
  const [nodes, setNodes] = useState(initialNodes);
  const [queues, setQueues] = useState(initialQueues);
  const [updated, setUpdated] = useState(() => new Date());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const poll = useCallback(async () => {
    try {
      const [n, q] = await Promise.all([
        api.get<{ items: RenderNode[] }>('/v1/admin/nodes'),
        api.get<{ items: QueueDepth[] }>('/v1/admin/queues'),
      ]);
      setNodes(n.items);
      setQueues(q.items);
      setUpdated(new Date());
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void poll();
    }, FARM_POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  const n = (value: number) => formatNumber(value, locale);
  return (
    <div className="fr-stack">
      <div className="fr-row" style={{ justifyContent: 'space-between' }}>
        <span className={styles.liveDot} data-testid="farm-updated" data-time={updated.getTime()}>
          {t('farm.updated', { time: formatDate(updated, locale, 'time') })}
        </span>
      </div>
      <FormError error={error} />
      <section className={`fr-card ${styles.tableWrap}`}>
        <h2 className="fr-card-title">{t('farm.queues')}</h2>
        <table className="fr-table" data-testid="queues-table">
          <thead>
            <tr>
              <th>{t('farm.queue')}</th>
              <th>{t('farm.waiting')}</th>
              <th>{t('farm.rendering')}</th>
              <th>{t('farm.held')}</th>
              <th>{t('farm.oldest')}</th>
              <th>{t('farm.nodes')}</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.queue} data-queue={q.queue}>
                <td>
                  <code className={styles.code}>{q.queue}</code>
                </td>
                <td>
                  <strong data-testid="queue-waiting">{n(q.waiting)}</strong>
                </td>
                <td>{n(q.rendering)}</td>
                <td>{n(q.held)}</td>
                <td>
                  {q.oldest_waiting_seconds === null
                    ? '—'
                    : t('farm.seconds', { n: n(Math.round(q.oldest_waiting_seconds)) })}
                </td>
                <td>{q.nodes === 0 && q.waiting > 0 ? <Badge tone="danger">{n(0)}</Badge> : n(q.nodes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className={`fr-card ${styles.tableWrap}`}>
        <h2 className="fr-card-title">{t('farm.nodes')}</h2>
        {nodes.length === 0 ? (
          <EmptyState title={t('farm.noNodes')} />
        ) : (
          <table className="fr-table" data-testid="nodes-table">
            <thead>
              <tr>
                <th>{t('farm.node')}</th>
                <th>{t('farm.status')}</th>
                <th>{t('farm.slots')}</th>
                <th>{t('farm.load')}</th>
                <th>{t('farm.cache')}</th>
                <th>{t('farm.memory')}</th>
                <th>{t('farm.heartbeat')}</th>
                <th>{t('farm.done')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {nodes.map((node) => (
                <tr key={node.id} data-testid="node-row" data-status={node.status}>
                  <td>
                    <strong className="fr-ltr">{node.hostname}</strong>
                    <div className="fr-small fr-muted fr-ltr">
                      {node.version ?? ''} ·{' '}
                      {node.queues.map((q) => q.replace(/^render\.queue\./, '')).join(', ')}
                    </div>
                  </td>
                  <td>
                    <div className="fr-row" style={{ gap: 4 }}>
                      <Badge tone={STATUS_TONE[node.status]}>{t(`nodeStatus.${node.status}`)}</Badge>
                      {node.quarantined ? <Badge tone="warning">{t('farm.quarantined')}</Badge> : null}
                      {node.draining ? <Badge>{t('farm.draining')}</Badge> : null}
                    </div>
                  </td>
                  <td>
                    <Meter value={node.slots > 0 ? node.slots_busy / node.slots : 0} />
                    {n(node.slots_busy)}/{n(node.slots)}
                  </td>
                  <td>
                    {node.load === null ? '—' : formatNumber(node.load, locale, { maximumFractionDigits: 2 })}
                  </td>
                  <td>
                    {node.cache ? (
                      <>
                        <Meter
                          value={
                            node.cache.capacity_bytes > 0
                              ? node.cache.size_bytes / node.cache.capacity_bytes
                              : 0
                          }
                        />
                        {formatBytes(node.cache.size_bytes, locale)}
                        <div className="fr-small fr-muted">
                          {n(node.cache.entries)} ·{' '}
                          {formatPercent(
                            node.cache.capacity_bytes > 0
                              ? node.cache.size_bytes / node.cache.capacity_bytes
                              : 0,
                            locale,
                          )}
                        </div>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {node.memory_free_bytes === null ? '—' : formatBytes(node.memory_free_bytes, locale)}
                  </td>
                  <td>{node.last_heartbeat_at ? formatDate(node.last_heartbeat_at, locale, 'time') : '—'}</td>
                  <td>{n(node.items_completed)}</td>
                  <td>
                    <Button
                      size="sm"
                      variant="ghost"
                      busy={busy === node.id}
                      onClick={async () => {
                        setBusy(node.id);
                        try {
                          const updatedNode = await api.post<RenderNode>(
                            `/v1/admin/nodes/${node.id}/${node.quarantined ? 'release' : 'quarantine'}`,
                          );
                          setNodes((list) => list.map((x) => (x.id === node.id ? updatedNode : x)));
                        } catch (e) {
                          setError(e);
                        } finally {
                          setBusy(null);
                        }
                      }}
                    >
                      {node.quarantined ? t('farm.release') : t('farm.quarantine')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

'use client';

import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Alert, Badge, EmptyState } from '@/components/ui/feedback';
import { SelectField, TextField } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useLocale, useT } from '@/i18n/client';
import { accountText } from '@/i18n/dictionaries/account';
import { commonText } from '@/i18n/dictionaries/common';
import { developerText } from '@/i18n/dictionaries/developer';
import { formatDate } from '@/i18n/format';
import { api } from '@/lib/api/client';
import styles from './account.module.css';
import type { ApiKey } from './account-types';
import type { ApiKeyScope } from './catalog';
import { ConfirmDialog } from './confirm-dialog';
import { ScopePicker } from './scope-picker';
import { SecretBox } from './secret-box';

const EXPIRY_DAYS = ['never', '30', '90', '365'] as const;

function keyState(key: ApiKey, now: number): 'active' | 'revoked' | 'expired' {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && new Date(key.expires_at).getTime() <= now) return 'expired';
  return 'active';
}

/** The workspace's API keys: create (shown once), list with prefix and last use, revoke. */
export function ApiKeysManager({
  initial,
  apiAccess,
  gatewayOrigin,
}: {
  initial: ApiKey[];
  apiAccess: boolean;
  gatewayOrigin: string;
}) {
  const t = useT(developerText);
  const account = useT(accountText);
  const common = useT(commonText);
  const locale = useLocale();
  const [keys, setKeys] = useState(initial);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: string; api_key: ApiKey } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['templates:read', 'renders:read', 'renders:write']);
  const [expiry, setExpiry] = useState<(typeof EXPIRY_DAYS)[number]>('never');
  const [scopesError, setScopesError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const now = Date.now();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (scopes.length === 0) {
      setScopesError(t('keys.scopesRequired'));
      return;
    }
    setScopesError(undefined);
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ key: string; api_key: ApiKey }>('/v1/api-keys', {
        name: name.trim(),
        scopes,
        ...(expiry === 'never'
          ? {}
          : { expires_at: new Date(Date.now() + Number(expiry) * 86_400_000).toISOString() }),
      });
      setKeys((list) => [result.api_key, ...list]);
      setCreated(result);
      setCreating(false);
      setName('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="fr-stack">
      {!apiAccess ? <Alert tone="warning">{t('keys.noApi')}</Alert> : null}
      <div className="fr-row">
        <Button
          variant="primary"
          onClick={() => setCreating(true)}
          disabled={!apiAccess}
          data-testid="create-key"
        >
          {t('keys.create')}
        </Button>
      </div>
      {keys.length === 0 ? (
        <EmptyState title={t('keys.empty')} />
      ) : (
        <div className={`fr-card ${styles.tableWrap}`} style={{ paddingBlock: 0 }}>
          <table className="fr-table" data-testid="keys-table">
            <thead>
              <tr>
                <th>{account('name')}</th>
                <th>{t('keys.prefix')}</th>
                <th>{t('keys.scopes')}</th>
                <th>{t('keys.lastUsed')}</th>
                <th>{t('keys.expires')}</th>
                <th>
                  <span className="fr-visually-hidden">{account('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const state = keyState(key, now);
                return (
                  <tr key={key.id} data-testid="key-row" data-key={key.id} data-state={state}>
                    <td dir="auto">
                      <strong>{key.name}</strong>
                      <div className="fr-small fr-muted">{formatDate(key.created_at, locale)}</div>
                    </td>
                    <td>
                      <code className={styles.code}>{key.prefix}</code>
                    </td>
                    <td>
                      <div className="fr-row" style={{ gap: 4 }}>
                        {key.scopes.map((scope) => (
                          <Badge key={scope}>
                            <span title={scope}>{t(`scope.${scope as ApiKeyScope}`)}</span>
                          </Badge>
                        ))}
                      </div>
                    </td>
                    <td>
                      {key.last_used_at ? formatDate(key.last_used_at, locale, 'datetime') : account('never')}
                    </td>
                    <td>
                      {state !== 'active' ? (
                        <Badge tone="danger">
                          {t(state === 'revoked' ? 'keys.revoked' : 'keys.expired')}
                        </Badge>
                      ) : key.expires_at ? (
                        formatDate(key.expires_at, locale)
                      ) : (
                        t('keys.expiry.never')
                      )}
                    </td>
                    <td>
                      {state === 'active' ? (
                        <Button size="sm" variant="ghost" onClick={() => setRevoking(key)}>
                          {t('keys.revoke')}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title={t('keys.createTitle')}
        actions={
          <>
            <Button onClick={() => setCreating(false)}>{common('cancel')}</Button>
            <Button
              variant="primary"
              type="submit"
              form="create-key-form"
              busy={busy}
              data-testid="create-key-submit"
            >
              {t('keys.submit')}
            </Button>
          </>
        }
      >
        <form id="create-key-form" className="fr-stack" onSubmit={submit}>
          <FormError error={error} />
          <TextField
            label={t('keys.name')}
            hint={t('keys.nameHint')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            dir="auto"
            data-testid="key-name"
          />
          <ScopePicker value={scopes} onChange={setScopes} error={scopesError} />
          <SelectField
            label={t('keys.expiry')}
            value={expiry}
            onChange={(e) => setExpiry(e.target.value as (typeof EXPIRY_DAYS)[number])}
            options={EXPIRY_DAYS.map((d) => ({ value: d, label: t(`keys.expiry.${d}`) }))}
          />
        </form>
      </Dialog>

      <Dialog
        open={created !== null}
        onClose={() => setCreated(null)}
        title={t('keys.createdTitle')}
        actions={
          <Button variant="primary" onClick={() => setCreated(null)} data-testid="key-done">
            {t('keys.done')}
          </Button>
        }
      >
        {created ? (
          <div className="fr-stack">
            <Alert tone="warning">{t('keys.shownOnce')}</Alert>
            <SecretBox
              value={created.key}
              copyLabel={t('keys.copyKey')}
              copiedLabel={account('copied')}
              testId="new-key"
            />
            <div className="fr-small fr-muted">{t('keys.usage')}</div>
            <pre className={styles.code} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
              {`curl ${gatewayOrigin}/v1/templates \\\n  -H "authorization: Bearer ${created.api_key.prefix}_…"`}
            </pre>
          </div>
        ) : null}
      </Dialog>

      <ConfirmDialog
        open={revoking !== null}
        title={t('keys.revokeTitle')}
        confirmLabel={t('keys.revoke')}
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          const revoked = await api.delete(`/v1/api-keys/${revoking.id}`).then(() => revoking);
          setKeys((list) =>
            list.map((k) => (k.id === revoked.id ? { ...k, revoked_at: new Date().toISOString() } : k)),
          );
        }}
      >
        <p dir="auto">{revoking ? t('keys.revokeBody', { name: revoking.name }) : null}</p>
      </ConfirmDialog>
    </div>
  );
}

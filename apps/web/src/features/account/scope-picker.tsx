'use client';

import { Button } from '@/components/ui/button';
import { useT } from '@/i18n/client';
import { developerText } from '@/i18n/dictionaries/developer';
import styles from './account.module.css';
import { API_KEY_SCOPES, type ApiKeyScope } from './catalog';

type Resource = 'templates' | 'projects' | 'renders' | 'files' | 'webhooks';

const resourceOf = (scope: ApiKeyScope) => scope.split(':')[0] as Resource;
const readOf = (scope: ApiKeyScope) => `${resourceOf(scope)}:read` as ApiKeyScope;

/**
 * The next selection after the person toggled `scope`. Writing implies reading the same resource
 * (a key that may start renders but not read them back is of no use), so checking a `:write` scope
 * checks its `:read` one, and unchecking a `:read` scope unchecks its `:write` one. Only scopes in
 * `allowed` are ever selected; the list keeps the platform's order.
 */
export function toggleScope(
  selected: readonly ApiKeyScope[],
  scope: ApiKeyScope,
  allowed: readonly ApiKeyScope[] = API_KEY_SCOPES,
): ApiKeyScope[] {
  const next = new Set(selected);
  if (next.has(scope)) {
    next.delete(scope);
    if (scope.endsWith(':read')) next.delete(`${resourceOf(scope)}:write` as ApiKeyScope);
  } else {
    next.add(scope);
    if (scope.endsWith(':write')) next.add(readOf(scope));
  }
  return API_KEY_SCOPES.filter((s) => next.has(s) && allowed.includes(s));
}

/** Checkboxes for an API key's scopes, grouped by resource, with all / read-only / none shortcuts. */
export function ScopePicker({
  value,
  onChange,
  allowed = API_KEY_SCOPES,
  error,
}: {
  value: readonly ApiKeyScope[];
  onChange: (scopes: ApiKeyScope[]) => void;
  allowed?: readonly ApiKeyScope[];
  error?: string;
}) {
  const t = useT(developerText);
  const groups = [...new Set(API_KEY_SCOPES.map(resourceOf))];
  return (
    <fieldset
      className={`fr-field ${styles.picker}`}
      data-invalid={error ? 'true' : undefined}
      data-testid="scope-picker"
    >
      <legend className="fr-label">{t('keys.scopes')}</legend>
      <div className="fr-row" style={{ gap: 4 }}>
        <Button size="sm" variant="ghost" onClick={() => onChange([...allowed])}>
          {t('keys.selectAll')}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => onChange(allowed.filter((s) => s.endsWith(':read')))}
        >
          {t('keys.selectRead')}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => onChange([])}>
          {t('keys.selectNone')}
        </Button>
      </div>
      <div className={styles.checks}>
        {groups.map((group) => (
          <fieldset key={group} className={styles.checkGroup}>
            <legend>{t(`scopeGroup.${group}`)}</legend>
            {API_KEY_SCOPES.filter((s) => resourceOf(s) === group).map((scope) => (
              <label key={scope} className={styles.check}>
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  checked={value.includes(scope)}
                  disabled={!allowed.includes(scope)}
                  onChange={() => onChange(toggleScope(value, scope, allowed))}
                />
                <span>
                  {t(`scope.${scope}`)}
                  <small>{scope}</small>
                </span>
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      <span className="fr-hint">{t('keys.scopesHint')}</span>
      {error ? (
        <span className="fr-field-error" role="alert">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}

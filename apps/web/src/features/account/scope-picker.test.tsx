// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { LocaleProvider } from '@/i18n/client';
import type { Locale } from '@/i18n/locale';
import type { ApiKeyScope } from './catalog';
import { ScopePicker, toggleScope } from './scope-picker';

function Harness({
  initial = [],
  allowed,
  seen,
}: {
  initial?: ApiKeyScope[];
  allowed?: ApiKeyScope[];
  seen: ApiKeyScope[][];
}) {
  const [value, setValue] = useState<ApiKeyScope[]>(initial);
  return (
    <ScopePicker
      value={value}
      allowed={allowed}
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

function show(props: { initial?: ApiKeyScope[]; allowed?: ApiKeyScope[] } = {}, locale: Locale = 'en') {
  const seen: ApiKeyScope[][] = [];
  render(
    <LocaleProvider locale={locale}>
      <Harness {...props} seen={seen} />
    </LocaleProvider>,
  );
  return seen;
}

const checked = () =>
  (screen.getAllByRole('checkbox') as HTMLInputElement[]).filter((c) => c.checked).map((c) => c.value);

afterEach(cleanup);

describe('scope picker', () => {
  it('writing a resource brings reading it; unreading it drops the writing', () => {
    expect(toggleScope([], 'renders:write')).toEqual(['renders:read', 'renders:write']);
    expect(toggleScope(['renders:read', 'renders:write', 'files:read'], 'renders:read')).toEqual([
      'files:read',
    ]);
    expect(toggleScope(['renders:read', 'renders:write'], 'renders:write')).toEqual(['renders:read']);
    // Never more than the creator may grant.
    expect(toggleScope([], 'files:write', ['files:write'])).toEqual(['files:write']);
  });

  it('checks what a person clicks, in the platform order, with the implied read scope', async () => {
    const user = userEvent.setup();
    const seen = show();
    await user.click(screen.getByLabelText(/Start renders/));
    expect(checked()).toEqual(['renders:read', 'renders:write']);
    await user.click(screen.getByLabelText(/Read templates/));
    expect(seen.at(-1)).toEqual(['templates:read', 'renders:read', 'renders:write']);
    await user.click(screen.getByLabelText(/Read renders/));
    expect(checked()).toEqual(['templates:read']);
  });

  it('selects all, read only or none with one click', async () => {
    const user = userEvent.setup();
    show({ initial: ['files:write', 'files:read'] });
    await user.click(screen.getByRole('button', { name: 'Read only' }));
    expect(checked()).toEqual([
      'templates:read',
      'projects:read',
      'renders:read',
      'files:read',
      'webhooks:read',
    ]);
    await user.click(screen.getByRole('button', { name: 'All' }));
    expect(checked()).toHaveLength(9);
    await user.click(screen.getByRole('button', { name: 'None' }));
    expect(checked()).toEqual([]);
  });

  it('cannot grant a scope the creator lacks, and names scopes in Persian', async () => {
    const user = userEvent.setup();
    show({ allowed: ['templates:read', 'renders:read'] }, 'fa');
    const write = screen.getByLabelText(/ساخت خروجی/) as HTMLInputElement;
    expect(write.disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'همه' }));
    expect(checked()).toEqual(['templates:read', 'renders:read']);
    expect(screen.getByTestId('scope-picker').textContent).toContain('خواندن قالب‌ها');
  });
});

// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { LocaleProvider } from '@/i18n/client';
import type { Locale } from '@/i18n/locale';
import { ApiError } from '@/lib/api/errors';
import type { Preferences } from './account-types';
import { PreferenceMatrix, type PreferencesChange } from './preference-matrix';

function preferences(): Preferences {
  return {
    kinds: [
      {
        kind: 'account.banned',
        configurable: false,
        channels: { email: true, sms: false, telegram: false, push: false },
      },
      {
        kind: 'render.completed',
        configurable: true,
        channels: { email: true, sms: false, telegram: false, push: false },
      },
      {
        kind: 'plan.activated',
        configurable: true,
        channels: { email: false, sms: false, telegram: false, push: false },
      },
    ],
    channels: {
      email: { available: true, ready: true },
      sms: { available: false, ready: false },
      telegram: { available: true, ready: false },
      push: { available: true, ready: true },
    },
    contact: {
      email: 'sara@example.com',
      email_verified: true,
      phone: null,
      phone_verified: false,
      telegram_linked: false,
      push_subscriptions: 1,
    },
  };
}

/** A stand-in for the notification service: applies a change the way PUT /preferences does. */
function server(refuse = false) {
  let state = preferences();
  const calls: PreferencesChange[] = [];
  const save = async (change: PreferencesChange) => {
    calls.push(change);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (refuse) throw new ApiError(400, 'not_configurable', 'no');
    state = {
      ...state,
      kinds: state.kinds.map((k) => ({ ...k, channels: { ...k.channels, ...change.kinds[k.kind] } })),
    };
    return state;
  };
  return { save, calls };
}

function show(save: (c: PreferencesChange) => Promise<Preferences>, locale: Locale = 'en') {
  render(
    <LocaleProvider locale={locale}>
      <PreferenceMatrix initial={preferences()} save={save} />
    </LocaleProvider>,
  );
}

const box = (name: string) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

afterEach(cleanup);

describe('notification preference matrix', () => {
  it('shows one row per kind and one column per channel, in-app always on', () => {
    show(server().save);
    expect(screen.getAllByRole('row')).toHaveLength(4);
    expect(box('Render ready by In app').checked).toBe(true);
    expect(box('Render ready by In app').disabled).toBe(true);
    expect(box('Render ready by Email').checked).toBe(true);
    expect(box('Plan activated by Email').checked).toBe(false);
  });

  it('locks kinds that are always sent and channels the platform lacks', () => {
    show(server().save);
    expect(box('Account banned by Email').disabled).toBe(true);
    expect(screen.getByText('Always sent')).toBeTruthy();
    expect(box('Render ready by SMS').disabled).toBe(true);
    expect(screen.getByText('Not set up on this server')).toBeTruthy();
    // Available but not ready (no linked chat): it may be chosen, with a word about setting it up.
    expect(box('Render ready by Telegram').disabled).toBe(false);
    expect(screen.getByText('Set this channel up below first.')).toBeTruthy();
  });

  it('saves each switch on its own and shows the state the server answered', async () => {
    const user = userEvent.setup();
    const api = server();
    show(api.save);
    await user.click(box('Plan activated by Browser'));
    await waitFor(() => expect(screen.getByText('Settings saved.')).toBeTruthy());
    expect(api.calls).toEqual([{ kinds: { 'plan.activated': { push: true } } }]);
    expect(box('Plan activated by Browser').checked).toBe(true);
    await user.click(box('Render ready by Email'));
    await waitFor(() => expect(api.calls).toHaveLength(2));
    expect(api.calls[1]).toEqual({ kinds: { 'render.completed': { email: false } } });
    await waitFor(() => expect(box('Render ready by Email').checked).toBe(false));
  });

  it('puts a refused switch back and says why', async () => {
    const user = userEvent.setup();
    show(server(true).save);
    await user.click(box('Plan activated by Email'));
    await waitFor(() => expect(screen.getByRole('alert')).toBeTruthy());
    expect(box('Plan activated by Email').checked).toBe(false);
  });

  it('names kinds and channels in Persian', () => {
    show(server().save, 'fa');
    expect(box('آماده شدن خروجی از راه ایمیل').checked).toBe(true);
    expect(screen.getByText('همیشه فرستاده می‌شود')).toBeTruthy();
  });
});

import { NOTIFICATION_KINDS, TRANSACTIONAL_KINDS } from '@flatrender/contracts';
import { describe, expect, it } from 'vitest';
import { CONFIGURABLE_KINDS, enabledChannels, KIND_POLICIES, STORED_KINDS } from './kinds';

describe('kinds and their channels', () => {
  it('has a policy for every catalog kind and stores all but transactional mail', () => {
    expect(Object.keys(KIND_POLICIES).sort()).toEqual([...NOTIFICATION_KINDS].sort());
    expect(STORED_KINDS.length).toBe(NOTIFICATION_KINDS.length - TRANSACTIONAL_KINDS.length);
    expect(STORED_KINDS).not.toContain('account.password_reset');
  });

  it('is quiet by default: only email for important kinds, SMS, Telegram and push opt-in', () => {
    for (const kind of STORED_KINDS) {
      const channels = enabledChannels(kind, {});
      expect(channels.every((c) => c === 'email')).toBe(true);
    }
    expect(enabledChannels('render.completed', {})).toEqual(['email']);
    expect(enabledChannels('storage.quota_warning', {})).toEqual([]);
  });

  it('follows the user’s choices, except for kinds that cannot be switched off', () => {
    expect(enabledChannels('render.completed', { email: false, push: true, sms: true })).toEqual([
      'sms',
      'push',
    ]);
    expect(CONFIGURABLE_KINDS).not.toContain('account.banned');
    expect(enabledChannels('account.banned', { email: false })).toEqual(['email']);
  });
});

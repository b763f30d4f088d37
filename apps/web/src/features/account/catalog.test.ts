import {
  API_KEY_SCOPES,
  DELIVERY_CHANNELS,
  NOTIFICATION_KINDS,
  TENANT_SUSPENSION_REASONS,
  USER_BAN_REASONS,
  WEBHOOK_EVENT_KEYS,
} from '@flatrender/contracts/vocabulary';
import { describe, expect, it } from 'vitest';
import { adminText } from '@/i18n/dictionaries/admin';
import { developerText } from '@/i18n/dictionaries/developer';
import { notificationsText } from '@/i18n/dictionaries/notifications';
import * as web from './catalog';

describe("the account pages' choices", () => {
  it('name every one of them in both languages', () => {
    for (const locale of ['fa', 'en'] as const) {
      const dev = developerText[locale] as Record<string, string>;
      const notes = notificationsText[locale] as Record<string, string>;
      const admin = adminText[locale] as Record<string, string>;
      for (const scope of API_KEY_SCOPES) expect(dev[`scope.${scope}`], scope).toBeTruthy();
      for (const event of WEBHOOK_EVENT_KEYS) expect(dev[`event.${event}`], event).toBeTruthy();
      for (const kind of NOTIFICATION_KINDS) expect(notes[`kind.${kind}`], kind).toBeTruthy();
      for (const channel of DELIVERY_CHANNELS) expect(notes[`channel.${channel}`], channel).toBeTruthy();
      for (const reason of USER_BAN_REASONS) expect(admin[`ban.${reason}`], reason).toBeTruthy();
      for (const reason of TENANT_SUSPENSION_REASONS) expect(admin[`suspend.${reason}`], reason).toBeTruthy();
    }
  });

  it('orders roles from the most powerful', () => {
    expect(web.roleAtLeast('owner', 'admin')).toBe(true);
    expect(web.roleAtLeast('admin', 'admin')).toBe(true);
    expect(web.roleAtLeast('editor', 'admin')).toBe(false);
    expect(web.roleAtLeast('viewer', 'editor')).toBe(false);
  });
});

import { notFound, type Principal, type ScopedDatabase } from '@flatrender/platform';
import { findRecipient, type Recipient, updateRecipient, upsertRecipient } from './contacts.repository';
import type { IdentityContacts } from './identity-contacts';
import type { NotificationDb } from './notification.db';

/**
 * The caller as a recipient, for routes that need one (phone, Telegram): known from identity's events,
 * or asked of identity when this service has not heard of the user yet. The language of the caller's
 * token wins over the recorded one (a change of language in identity reaches notification this way).
 */
export class RecipientDirectory {
  constructor(
    private readonly db: ScopedDatabase<NotificationDb>,
    private readonly identity: IdentityContacts,
  ) {}

  async find(principal: Principal): Promise<Recipient | undefined> {
    let recipient = await this.db.asSystem((tx) => findRecipient(tx, principal.userId));
    if (recipient && principal.locale && principal.locale !== recipient.locale) {
      const locale = principal.locale;
      await this.db.asSystem((tx) => updateRecipient(tx, principal.userId, { locale }));
      recipient = { ...recipient, locale };
    }
    return recipient;
  }

  async require(principal: Principal): Promise<Recipient> {
    const known = await this.find(principal);
    if (known) return known;
    const facts = await this.identity.user(principal.userId).catch(() => null);
    if (!facts) throw notFound('Your account', 'account_unknown');
    return this.db.asSystem(async (tx) => {
      await upsertRecipient(tx, facts);
      return (await findRecipient(tx, principal.userId))!;
    });
  }
}

import { signUnsubscribe, verifyUnsubscribe } from './domain/unsubscribe-token';

export const UNSUBSCRIBE_PATH = '/v1/notifications/unsubscribe';

/** Links that switch a kind of mail off without signing in (in every mail, and in List-Unsubscribe). */
export class UnsubscribeLinks {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {}

  url(userId: string, kind: string): string {
    const token = signUnsubscribe(this.secret, { userId, kind });
    return `${this.publicUrl.replace(/\/+$/, '')}${UNSUBSCRIBE_PATH}?token=${token}`;
  }

  verify(token: string) {
    return verifyUnsubscribe(this.secret, token);
  }
}

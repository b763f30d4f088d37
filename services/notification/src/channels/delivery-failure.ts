import type { DELIVERY_ERROR_CODES } from '@flatrender/contracts';

export type DeliveryErrorCode = (typeof DELIVERY_ERROR_CODES)[number];

/**
 * Why a channel could not deliver. `retryable`: another try may succeed (provider down, rate limit,
 * timeout); `permanent`: the address itself is unusable (unknown mailbox, expired push subscription,
 * blocked bot), so the channel stops using it.
 */
export class DeliveryFailure extends Error {
  constructor(
    readonly errorCode: DeliveryErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export const retryLater = (code: DeliveryErrorCode, message: string) =>
  new DeliveryFailure(code, message, true);
export const giveUp = (code: DeliveryErrorCode, message: string, permanent = false) =>
  new DeliveryFailure(code, message, false, permanent);

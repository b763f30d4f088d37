/** Sends text messages; failures are `DeliveryFailure`s. */
export interface SmsProvider {
  send(phoneE164: string, text: string): Promise<{ messageId: string | null }>;
}

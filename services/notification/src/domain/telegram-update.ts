/**
 * The code in a `/start <code>` message (what Telegram sends when someone opens
 * `t.me/<bot>?start=<code>`, or types it), or undefined for any other message. `/start@BotName <code>`
 * (groups) is accepted too.
 */
export function startCode(text: string | undefined): string | undefined {
  const match = /^\/start(?:@[A-Za-z0-9_]{5,32})?\s+([A-Za-z0-9]{6,32})\s*$/.exec(text?.trim() ?? '');
  return match?.[1];
}

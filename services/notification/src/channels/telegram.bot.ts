import { giveUp, retryLater } from './delivery-failure';

interface BotAnswer {
  ok: boolean;
  result?: { message_id?: number };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/**
 * The part of the Telegram Bot API the platform uses: `POST <base>/bot<token>/sendMessage`. The base
 * URL is configurable (a local Bot API server, or a test server).
 */
export class TelegramBot {
  constructor(private readonly options: { baseUrl: string; token: string; timeoutMs?: number }) {}

  async sendMessage(
    chatId: string,
    text: string,
    button?: { text: string; url: string } | null,
  ): Promise<{ messageId: string | null }> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/bot${this.options.token}/sendMessage`;
    const body = {
      chat_id: chatId,
      text,
      link_preview_options: { is_disabled: true },
      ...(button ? { reply_markup: { inline_keyboard: [[{ text: button.text, url: button.url }]] } } : {}),
    };
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      // The URL holds the bot token: never put it in a message.
      throw retryLater(
        timedOut ? 'timeout' : 'provider_error',
        `Telegram unreachable: ${(error as Error).name}`,
      );
    }
    let answer: BotAnswer = { ok: false };
    try {
      answer = (await response.json()) as BotAnswer;
    } catch {
      // judged by the HTTP status below
    }
    if (answer.ok) {
      const id = answer.result?.message_id;
      return { messageId: id === undefined ? null : String(id) };
    }
    const code = answer.error_code ?? response.status;
    const message = `Telegram answered ${code}: ${answer.description ?? response.statusText}`;
    // 403: the user blocked the bot or deleted the chat; 400 "chat not found": the chat is gone.
    if (
      code === 403 ||
      (code === 400 && /chat not found|user is deactivated/i.test(answer.description ?? ''))
    ) {
      throw giveUp('invalid_recipient', message, true);
    }
    if (code === 429) throw retryLater('rate_limited', message);
    if (code >= 500) throw retryLater('provider_error', message);
    throw giveUp('rejected', message);
  }
}

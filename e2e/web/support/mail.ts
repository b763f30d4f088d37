import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';

/**
 * Waits for a mail to `to` in the notification service's file transport (`<dataDir>/outbox-mail`,
 * used when no SMTP server is configured) and returns the first link matching `link`.
 */
export async function waitForMailLink(
  dir: string,
  to: string,
  link: RegExp,
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.eml'))) {
      const mail = await simpleParser(await readFile(path.join(dir, file)));
      const recipients = [mail.to]
        .flat()
        .flatMap((a) => a?.value ?? [])
        .map((a) => a.address);
      if (!recipients.includes(to)) continue;
      const body = `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`;
      const match = link.exec(body);
      if (match) return match[0].replace(/&amp;/g, '&');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no mail to ${to} with a link like ${link} within ${timeoutMs} ms in ${dir}`);
}

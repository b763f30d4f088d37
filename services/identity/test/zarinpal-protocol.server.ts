import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Transaction {
  authority: string;
  merchantId: string;
  amount: number;
  callbackUrl: string;
  outcome: 'open' | 'paid' | 'cancelled';
  verified: boolean;
  refId?: number;
}

export interface ZarinpalProtocolServer {
  url: string;
  merchantId: string;
  transactions: Map<string, Transaction>;
  /** Requests received per endpoint path (verify calls, to prove idempotent handling). */
  calls: Map<string, number>;
  /** Makes the server answer 503 to everything until called again with false. */
  setUnavailable(down: boolean): void;
  close(): Promise<void>;
}

function error(code: number, message: string) {
  return { data: [], errors: { code, message, validations: [] } };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * A local HTTP server speaking ZarinPal's v4 protocol as documented: request.json (merchant,
 * amount >= 10000 rial, callback) answers an authority; GET /pg/StartPay/<authority> plays the payer
 * (`?pay=0` cancels) and redirects to the callback with Authority and Status; verify.json answers
 * 100 with ref_id and card_pan the first time, 101 after, -51 when unpaid, -50 for another amount,
 * -54 for an unknown authority, -9 for a wrong merchant.
 */
export async function startZarinpalProtocolServer(): Promise<ZarinpalProtocolServer> {
  const merchantId = '1344b5d4-0048-11e8-94db-005056a205be';
  const transactions = new Map<string, Transaction>();
  const calls = new Map<string, number>();
  let unavailable = false;
  let nextRef = 100_000 + randomInt(1000);

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    calls.set(url.pathname, (calls.get(url.pathname) ?? 0) + 1);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (unavailable) return send(503, { message: 'maintenance' });

    if (req.method === 'POST' && url.pathname === '/pg/v4/payment/request.json') {
      const body = await readJson(req);
      if (body.merchant_id !== merchantId)
        return send(401, error(-9, 'The input params invalid, validation error.'));
      const amount = Number(body.amount);
      if (!Number.isInteger(amount) || amount < 10_000)
        return send(400, error(-9, 'The amount must be at least 10000 rial.'));
      if (typeof body.callback_url !== 'string' || typeof body.description !== 'string')
        return send(400, error(-9, 'The input params invalid, validation error.'));
      const authority = `A${randomBytes(18).toString('hex').slice(0, 35).padStart(35, '0')}`;
      transactions.set(authority, {
        authority,
        merchantId,
        amount,
        callbackUrl: body.callback_url,
        outcome: 'open',
        verified: false,
      });
      return send(200, {
        data: { code: 100, message: 'Success', authority, fee_type: 'Merchant', fee: 0 },
        errors: [],
      });
    }

    if (req.method === 'GET' && url.pathname.startsWith('/pg/StartPay/')) {
      const authority = decodeURIComponent(url.pathname.slice('/pg/StartPay/'.length));
      const tx = transactions.get(authority);
      if (!tx) return send(404, error(-54, 'Invalid authority.'));
      const pay = url.searchParams.get('pay') !== '0';
      tx.outcome = pay ? 'paid' : 'cancelled';
      const back = new URL(tx.callbackUrl);
      back.searchParams.set('Authority', authority);
      back.searchParams.set('Status', pay ? 'OK' : 'NOK');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }

    if (req.method === 'POST' && url.pathname === '/pg/v4/payment/verify.json') {
      const body = await readJson(req);
      if (body.merchant_id !== merchantId)
        return send(401, error(-9, 'The input params invalid, validation error.'));
      const tx = transactions.get(String(body.authority));
      if (!tx) return send(404, error(-54, 'Invalid authority.'));
      if (Number(body.amount) !== tx.amount)
        return send(400, error(-50, 'Session is not valid, amounts values is not the same.'));
      if (tx.outcome !== 'paid')
        return send(400, error(-51, 'Session is not valid, session is not active paid try.'));
      const first = !tx.verified;
      tx.verified = true;
      tx.refId ??= nextRef++;
      return send(200, {
        data: {
          code: first ? 100 : 101,
          message: first ? 'Paid' : 'Verified',
          card_hash: randomBytes(32).toString('hex').toUpperCase(),
          card_pan: '502229******5995',
          ref_id: tx.refId,
          fee_type: 'Merchant',
          fee: 0,
        },
        errors: [],
      });
    }
    send(404, error(-1, 'not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    merchantId,
    transactions,
    calls,
    setUnavailable: (down) => {
      unavailable = down;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

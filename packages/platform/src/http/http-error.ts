/**
 * An error that becomes an HTTP response with the platform's error body
 * `{ "error": { "code", "message", "field"? } }`. `code` is machine-readable and stable;
 * `message` is for people and names the field at fault.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, field?: string, details?: unknown) =>
  new HttpError(400, code, message, field, details);
export const unauthorized = (message = 'Authentication required.', code = 'unauthorized') =>
  new HttpError(401, code, message);
export const forbidden = (message = 'You are not allowed to do this.', code = 'forbidden') =>
  new HttpError(403, code, message);
export const notFound = (what: string, code = 'not_found') =>
  new HttpError(404, code, `${what} was not found.`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new HttpError(409, code, message, undefined, details);
export const tooManyRequests = (retryAfterSeconds: number, message = 'Too many requests; slow down.') =>
  new HttpError(
    429,
    'rate_limited',
    message,
    undefined,
    { retry_after: retryAfterSeconds },
    {
      'retry-after': String(retryAfterSeconds),
    },
  );

/** One problem the API reported about a value or a part of the body. */
export interface ApiProblem {
  code: string;
  path?: string;
  message: string;
  field?: string;
}

/**
 * An error answer of the gateway (`{ error: { code, message, field, details } }`), or a network
 * failure (status 0, code `network_error`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, field?: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }

  /** The per-value problems of a 422 (`details: [{ code, path, message, field? }]`). */
  get problems(): ApiProblem[] {
    return Array.isArray(this.details) ? (this.details as ApiProblem[]) : [];
  }
}

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error.code === 'string')
    return new ApiError(
      response.status,
      error.code,
      typeof error.message === 'string' ? error.message : error.code,
      typeof error.field === 'string' ? error.field : undefined,
      error.details,
    );
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'Request failed');
}

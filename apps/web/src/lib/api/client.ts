import { ApiError, apiErrorFrom } from './errors';

/*
 * The browser's gateway client. Every call goes to the same-origin proxy `/api/gw/v1/...`, which adds
 * the session's token server side; scripts never hold a token.
 */

export const PROXY_PREFIX = '/api/gw';

export interface ApiResult<T> {
  data: T;
  status: number;
  etag: string | null;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Revision precondition for saves (`If-Match: "<revision>"`). */
  ifMatch?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

export function apiPath(path: string, query?: CallOptions['query']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const qs = search.toString();
  return `${PROXY_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

/** Any URL the API hands out under /v1 (signed previews, font files, downloads), made same-origin. */
export function proxied(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith(`${PROXY_PREFIX}/`)) return url;
  if (url.startsWith('/v1/')) return `${PROXY_PREFIX}${url}`;
  try {
    const parsed = new URL(url);
    if (parsed.pathname.startsWith('/v1/')) return `${PROXY_PREFIX}${parsed.pathname}${parsed.search}`;
  } catch {
    return undefined;
  }
  return url;
}

/** Seconds to wait before retrying a 429, when short enough to wait for. */
function retryDelay(response: Response): number | undefined {
  if (response.status !== 429) return undefined;
  const seconds = Number(response.headers.get('retry-after') ?? '1');
  return Number.isFinite(seconds) && seconds <= 5 ? Math.max(0.2, seconds) : undefined;
}

export async function call<T>(
  path: string,
  options: CallOptions = {},
  retried = false,
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(apiPath(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', (error as Error).message);
  }
  const wait = retried ? undefined : retryDelay(response);
  if (wait !== undefined) {
    // A 429 was not processed at all: sending it again after the pause is safe for any method.
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return call<T>(path, options, true);
  }
  if (!response.ok) throw await apiErrorFrom(response);
  const text = response.status === 204 ? '' : await response.text();
  return {
    data: (text ? JSON.parse(text) : undefined) as T,
    status: response.status,
    etag: response.headers.get('etag'),
  };
}

export const api = {
  get: async <T>(path: string, query?: CallOptions['query'], signal?: AbortSignal) =>
    (await call<T>(path, { query, ...(signal ? { signal } : {}) })).data,
  post: async <T>(path: string, body?: unknown) => (await call<T>(path, { method: 'POST', body })).data,
  patch: async <T>(path: string, body: unknown, ifMatch?: string) =>
    (await call<T>(path, { method: 'PATCH', body, ...(ifMatch ? { ifMatch } : {}) })).data,
  put: async <T>(path: string, body: unknown) => (await call<T>(path, { method: 'PUT', body })).data,
  delete: async (path: string) => {
    await call<void>(path, { method: 'DELETE' });
  },
};

export interface UploadOptions {
  query?: CallOptions['query'];
  /** Called with the fraction sent so far (0..1). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Uploads one file as multipart/form-data (part `file`). XMLHttpRequest rather than fetch: it is the
 * browser API that reports upload progress.
 */
export function uploadMultipart<T>(path: string, file: Blob, name: string, options: UploadOptions = {}) {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiPath(path, options.query));
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const response = new Response(xhr.responseText || null, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1);
        resolve(JSON.parse(xhr.responseText) as T);
      } else apiErrorFrom(response).then(reject, reject);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload was interrupted.'));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, name);
    xhr.send(form);
  });
}

/** Auth endpoints of the web server itself (they set and clear the session cookies). */
export async function authCall<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/auth/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  }).catch((error: Error) => {
    throw new ApiError(0, 'network_error', error.message);
  });
  if (!response.ok) throw await apiErrorFrom(response);
  const text = response.status === 204 ? '' : await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

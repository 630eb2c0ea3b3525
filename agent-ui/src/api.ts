/*
 * The page's one way to the server's REST API: JSON in and out, the session cookie sent by the
 * browser (HttpOnly: scripts never see it), and every failure turned into an ApiError carrying
 * the server's error code, so components branch on codes, never on message text.
 */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached */
    readonly status: number,
    /** the server's CC_ERR_* code; CC_ERR_NETWORK when unreachable */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Api {
  /** `signal` aborts the request (a @lit/task superseded by newer arguments, an element removed). */
  get<T>(path: string, opts?: { signal?: AbortSignal }): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

/** An Api over fetch; `base` is '' in the page (same origin). */
export function createApi(base = '', fetchImpl: typeof fetch = (...args) => fetch(...args)): Api {
  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(`${base}${path}`, {
        method,
        credentials: 'same-origin',
        ...(signal !== undefined && { signal }),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'CC_ERR_NETWORK', `server unreachable: ${(err as Error).message}`);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'CC_ERR_BAD_RESPONSE', `not JSON (HTTP ${res.status})`);
    }
    if (!res.ok) {
      const e = (json ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
      throw new ApiError(res.status, e.code ?? 'CC_ERR_HTTP', e.message ?? `HTTP ${res.status}`, e.details ?? {});
    }
    return json as T;
  }
  return {
    get: (path, opts) => call('GET', path, undefined, opts?.signal),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    patch: (path, body) => call('PATCH', path, body ?? {}),
    delete: (path) => call('DELETE', path),
  };
}

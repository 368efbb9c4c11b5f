// Every API call goes through here: same-origin with the session cookie, problem+json turned into errors
// whose messages tell the user what to do, and 429s waited out as the API's Retry-After asks.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly kind: 'unauthenticated' | 'unreachable' | 'not-found' | 'unavailable' | 'forbidden' | 'other',
  ) {
    super(message);
  }
}

/** What a failure means for the user, in words that say what to do next. */
export function explain(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.kind) {
      case 'unreachable':
        return 'The API is not answering: is ./nines up running? The page retries on the next refresh.';
      case 'unavailable':
        return `The API cannot reach its storage (${error.message}). It retries by itself; try again in a few seconds.`;
      case 'forbidden':
        return `Your token may not see this (${error.message}). Ask an admin for a token with the viewer role.`;
      case 'not-found':
        return `Not found: ${error.message}`;
      default:
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

type UnauthenticatedListener = () => void;
let onUnauthenticated: UnauthenticatedListener = () => {};

/** The router sends the user to the login page when any call finds the session gone. */
export function setUnauthenticatedListener(listener: UnauthenticatedListener): void {
  onUnauthenticated = listener;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function request(path: string, init: RequestInit = {}, accept = 'application/json'): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(path, {
        ...init,
        credentials: 'same-origin',
        headers: { Accept: accept, ...(init.headers ?? {}) },
      });
    } catch {
      throw new ApiError('no answer', 0, 'unreachable');
    }
    // The API limits requests per token per second; batches from the overview wait their turn rather than fail.
    if ((response.status === 429 || (response.status === 503 && init.method === undefined)) && attempt < 5) {
      const retryAfter = Number(response.headers.get('Retry-After') ?? '1');
      await sleep(Math.min(5, Math.max(0.2, Number.isFinite(retryAfter) ? retryAfter : 1)) * 1000 * (0.75 + Math.random() / 2));
      continue;
    }
    if (response.ok) return response;
    throw await problem(response);
  }
}

async function problem(response: Response): Promise<ApiError> {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { detail?: string; title?: string; errors?: Array<{ path?: string; rule?: string }> };
    detail = body.detail ?? body.title ?? detail;
    // Validation problems name each field: worth showing next to a form.
    if (Array.isArray(body.errors) && body.errors.length) detail += `: ${body.errors.map((e) => `${e.path ?? ''} ${e.rule ?? ''}`.trim()).join('; ')}`;
  } catch {
    // not problem+json (a proxy's page, say): the status line is all there is
  }
  if (response.status === 401) {
    onUnauthenticated();
    return new ApiError(detail, 401, 'unauthenticated');
  }
  if (response.status === 403) return new ApiError(detail, 403, 'forbidden');
  if (response.status === 404) return new ApiError(detail, 404, 'not-found');
  if (response.status === 502 || response.status === 504) return new ApiError(detail, response.status, 'unreachable');
  if (response.status === 503) return new ApiError(detail, 503, 'unavailable');
  return new ApiError(detail, response.status, 'other');
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await request(path, signal ? { signal } : {});
  return (await response.json()) as T;
}

export async function getText(path: string, accept: string): Promise<string> {
  return (await request(path, {}, accept)).text();
}

/** Runs tasks with at most `limit` in flight, so 500 SLOs do not become 500 simultaneous requests. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export const q = encodeURIComponent;

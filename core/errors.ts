// One error type for everything a user can see, with a closed set of codes.
// The server maps codes to HTTP statuses in one place; the message always says
// what went wrong and what to do about it.

export const ERROR_CODES = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  provider_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class KeptError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "KeptError";
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

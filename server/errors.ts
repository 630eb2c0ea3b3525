/**
 * The one registry of error codes. Every error the product raises on purpose is an AppError
 * with a `CC_ERR_<AREA>_<WHAT>` code, an HTTP status and details; tests assert the code, never
 * the message text. Errors from ari-client, SQLite or child processes are wrapped at the
 * boundary with `cause` so the original stays visible in logs.
 */
export const errorCodes = {
  CC_ERR_CONFIG_INVALID: 500,
  CC_ERR_CONFIG_TLS: 500,
  CC_ERR_TRUNK_INVALID: 500,
  CC_ERR_ASTERISK_NOT_ROOT: 500,
  CC_ERR_ASTERISK_NOT_DEBIAN: 500,
  CC_ERR_ASTERISK_NO_MIRROR: 500,
  CC_ERR_ASTERISK_PROVISION_FAILED: 500,
  CC_ERR_ASTERISK_PORT_TAKEN: 500,
  CC_ERR_ASTERISK_START_FAILED: 500,
  CC_ERR_ASTERISK_CLI_FAILED: 500,
  CC_ERR_HOST_PACKAGE_MISSING: 500,
  CC_ERR_DB_MIGRATION_FAILED: 500,
  CC_ERR_DB_QUERY_FAILED: 500,
  CC_ERR_DEMO_DB_NOT_EMPTY: 409,
  CC_ERR_ARI_UNAVAILABLE: 503,
  CC_ERR_ARI_REQUEST_FAILED: 502,
  CC_ERR_ARI_CHANNEL_GONE: 404,
  CC_ERR_CALL_NOT_FOUND: 404,
  CC_ERR_CALL_INVALID_TRANSITION: 500,
  CC_ERR_MENU_INVALID: 500,
  CC_ERR_AGENT_INVALID_TRANSITION: 409,
  CC_ERR_AGENT_NOT_FOUND: 404,
  CC_ERR_AGENT_NO_CALL: 409,
  CC_ERR_AGENT_BUSY: 409,
  CC_ERR_QUEUE_NOT_FOUND: 404,
  CC_ERR_QUEUE_MUSIC_CLASS_UNKNOWN: 500,
  CC_ERR_AUTH_INVALID: 401,
  CC_ERR_AUTH_REQUIRED: 401,
  CC_ERR_AUTH_FORBIDDEN: 403,
  CC_ERR_AUTH_THROTTLED: 429,
  CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED: 403,
  CC_ERR_AUTH_PASSWORD_WEAK: 400,
  CC_ERR_AUTH_DEMO_PASSWORDS: 500,
  CC_ERR_STAFF_NOT_FOUND: 404,
  CC_ERR_STAFF_LOGIN_TAKEN: 409,
  CC_ERR_STAFF_LOGIN_INVALID: 400,
  CC_ERR_STAFF_QUEUE_UNKNOWN: 400,
  CC_ERR_STAFF_SELF_LOCKOUT: 409,
  CC_ERR_OFFICE_NOT_FOUND: 404,
  CC_ERR_ACCOUNT_NOT_FOUND: 404,
  CC_ERR_ACD_UNKNOWN: 500,
  CC_ERR_ACD_INVALID_EVENT: 500,
  CC_ERR_PROMPT_SYNTH_FAILED: 500,
  CC_ERR_PROMPT_NO_ENGINE: 500,
  CC_ERR_PROMPT_TEXT_INVALID: 400,
  CC_ERR_APPEAL_INVALID: 400,
  CC_ERR_APPEAL_UNKNOWN_REFERENCE: 400,
  CC_ERR_APPEAL_CUSTOMER_MISMATCH: 400,
  CC_ERR_APPEAL_AUTHORITY_DATE_INVALID: 400,
  CC_ERR_APPEAL_NOT_FOUND: 404,
  CC_ERR_APPEAL_INVALID_TRANSITION: 409,
  CC_ERR_APPEAL_IDEMPOTENCY_CONFLICT: 409,
  CC_ERR_APPEAL_NUMBERS_EXHAUSTED: 500,
  CC_ERR_UI_BUILD_FAILED: 500,
  CC_ERR_CALLBACK_NOT_FOUND: 404,
  CC_ERR_CALLBACK_NOT_WAITING: 409,
  CC_ERR_CALLBACK_BUSY: 409,
  CC_ERR_CALLBACK_NUMBER_INVALID: 400,
  CC_ERR_RECORDING_NOT_FOUND: 404,
  CC_ERR_RECORDING_NOT_READY: 409,
  CC_ERR_RECORDING_FILE_GONE: 410,
  CC_ERR_VALIDATION: 400,
  CC_ERR_NOT_FOUND: 404,
  CC_ERR_INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = errorCodes[code];
  }

  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

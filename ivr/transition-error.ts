/**
 * An event the call machine (ivr/call.ts and the parts it delegates to) does not expect in a
 * state: a bug or a report from the wrong place, never silently ignored (STYLE: wazo ignores it, don't).
 */
export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  readonly code = 'CC_ERR_CALL_INVALID_TRANSITION';
  constructor(readonly state: string, readonly event: string) {
    super(`event ${event} is not expected in state ${state}`);
  }
}

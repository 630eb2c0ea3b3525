import { AppError } from '../errors.js';

/** A trunk definition Asterisk must not be given: names the file, the trunk (null: the document itself) and the field. */
export const trunkInvalid = (file: string, trunk: string | null, field: string, expected: string, got?: unknown, cause?: unknown): AppError =>
  new AppError(
    'CC_ERR_TRUNK_INVALID',
    `${file}: ${trunk === null ? '' : `trunk ${trunk}: `}${field} must be ${expected}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`,
    { file, trunk, field, expected },
    cause === undefined ? undefined : { cause },
  );

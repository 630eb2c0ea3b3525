import { Type, type Static } from '@sinclair/typebox';

// Said by the speech synthesizer: no braces (a prompt placeholder) and not blank.
const Said = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[^{}]*[^{}\\s][^{}]*$' });

export const OfficeParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** An office as the admin view edits it; the IVR says the Russian or English fields. */
export const OfficeBody = Type.Object({
  sortOrder: Type.Integer({ minimum: 0, maximum: 10_000 }),
  cityRu: Said(100),
  cityEn: Said(100),
  addressRu: Said(300),
  addressEn: Said(300),
  hoursRu: Said(300),
  hoursEn: Said(300),
  /** as said to callers, e.g. '+7 4012 00-00-00' (a Russian number); '' for none */
  phone: Type.String({ maxLength: 40, pattern: '^[0-9+()\\s.-]*$' }),
  /** the towns (accounts.city, Russian) whose callers hear this office first; its own city always counts */
  towns: Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: '^[^,{}]*[^,{}\\s][^,{}]*$' }), { maxItems: 100 }),
  active: Type.Boolean(),
}, { additionalProperties: false });
export type OfficeBody = Static<typeof OfficeBody>;

export const OfficeView = Type.Composite([Type.Object({ id: Type.Integer() }), OfficeBody]);
export type OfficeView = Static<typeof OfficeView>;

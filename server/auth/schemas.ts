import { Type, type Static } from '@sinclair/typebox';

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  // A bound on what reaches scrypt; no staff password is anywhere near it.
  password: Type.String({ minLength: 1, maxLength: 1024 }),
}, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

export const Role = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]);

/** The logged-in staff member, as the agent UI shows them. */
export const SessionAgent = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  language: Type.String(),
  /** logged in with a one-time password: every /api route but the session's own answers 403 until they choose theirs */
  mustChangePassword: Type.Boolean(),
});
export type SessionAgent = Static<typeof SessionAgent>;

export const SessionReply = Type.Object({ agent: SessionAgent });

/** What the browser softphone registers with: SIP over WebSocket to Asterisk. */
export const SipCredentials = Type.Object({
  username: Type.String(),
  password: Type.String(),
  wsUrl: Type.String(),
  domain: Type.String(),
  iceServers: Type.Array(Type.Object({ urls: Type.String(), username: Type.Optional(Type.String()), credential: Type.Optional(Type.String()) })),
});

/** The language of the agent's own page: Russian by default, English switchable per user. */
export const LanguageBody = Type.Object({ language: Type.Union([Type.Literal('ru'), Type.Literal('en')]) }, { additionalProperties: false });

/** A staff member's own new password; the current one proves it is them (PUT /api/session/password). */
export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
}, { additionalProperties: false });

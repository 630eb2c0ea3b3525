import { css } from 'lit';
import type { SessionAgent } from '../../server/auth/schemas.js';
import { ApiError } from './api.js';

import type { Static } from '@sinclair/typebox';
import type { Role as RoleSchema } from '../../server/auth/schemas.js';
import type { CreatedStaff, NewStaff, PhoneChoice, QueueMembership } from '../../server/staff/schemas.js';
import type { QueueView as QueueViewSchema } from '../../server/queues/schemas.js';

/*
 * The admin API as the page uses it: the server's own schemas' types (type-only imports, so
 * nothing of the server reaches the bundle), under the names the admin views use.
 */

export type Role = Static<typeof RoleSchema>;
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

/** A desk SIP phone has a fixed contact URI, or null when it registers itself. */
export type StaffPhone = PhoneChoice;
export type StaffQueue = Static<typeof QueueMembership>;
export type { StaffView, StaffPatch } from '../../server/staff/schemas.js';
export type NewStaffBody = NewStaff;
export type StaffCreated = Static<typeof CreatedStaff>;

export type QueueView = Static<typeof QueueViewSchema>;
export interface QueueMember { agentId: number; priority: number }

export type { OfficeView, OfficeBody } from '../../server/offices/schemas.js';

/** The signed-in staff member; `mustChangePassword` is absent from servers older than issue 11. */
export type Agent = SessionAgent & { mustChangePassword?: boolean };

export const LOGIN_PATTERN = '[a-z][a-z0-9._\\-]{2,31}';

/**
 * The form fields a rejected request is about: for 400 CC_ERR_VALIDATION each error's JSON path
 * ('/phone/contact' → 'contact', '/queues/2/priority' → 'queues', '/login' → 'login') or
 * `details.field`. An error about the body as a whole (path '') names no field.
 */
export function invalidFields(err: unknown): string[] {
  if (!(err instanceof ApiError) || err.code !== 'CC_ERR_VALIDATION') return [];
  const fields = new Set<string>();
  const errors = err.details['errors'];
  if (Array.isArray(errors)) {
    for (const e of errors as Array<{ path?: unknown }>) {
      const parts = String(e.path ?? '').split('/').filter((p) => p !== '');
      const [first, second] = parts;
      if (first === 'phone' && second === 'contact') fields.add('contact');
      else if (first !== undefined) fields.add(first);
    }
  }
  if (typeof err.details['field'] === 'string') fields.add(err.details['field'].replace(/^\//, ''));
  return [...fields];
}

/** Rows, tables, a side form and the one-time secret box, shared by the admin views. */
export const adminStyles = css`
  :host { display: block; }
  .layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; align-items: start; }
  .layout.editing { grid-template-columns: minmax(0, 1fr) 420px; }
  /* with a form open beside it, a table keeps the columns needed to pick a row; the form shows the rest */
  .layout.editing .extra { display: none; }
  .side { display: grid; gap: 12px; min-width: 0; }
  .bar { display: flex; align-items: center; gap: 8px; margin-bottom: 8px; }
  .bar h2 { font-size: 16px; margin: 0 auto 0 0; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; background: #fff; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  th { font-weight: 600; color: #3b4655; background: #f7f8fa; white-space: nowrap; }
  tr.inactive td { color: #8c959f; }
  .nowrap { white-space: nowrap; }
  tr.selected td { background: #eef3fb; }
  section { min-width: 0; overflow-x: auto; }
  td.actions { text-align: right; }
  td.actions > div { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 4px; }
  td.actions button { min-height: 26px; padding: 2px 8px; font-size: 12px; white-space: nowrap; }
  .badge { display: inline-block; padding: 0 .5em; border-radius: 999px; background: #eaeef2; font-size: 12px; white-space: nowrap; }
  .badge.on { background: #dafbe1; color: #116329; }
  .badge.off { background: #ffebe9; color: #82071e; }
  .badge.warn { background: #fff8c5; color: #7d4e00; }
  form { display: grid; gap: 10px; }
  form h3 { font-size: 15px; margin: 0; }
  form label, legend { font-size: 13px; font-weight: 600; color: #39424c; }
  fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: 4px; }
  legend { padding: 0; margin-bottom: 2px; }
  form input:not([type=checkbox]):not([type=radio]), form select { width: 100%; }
  .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; align-items: end; }
  .queue-row { grid-template-columns: minmax(0, 1fr) 90px; align-items: center; }
  input:disabled, input[readonly] { background: #f3f5f8; border-color: #d8dee4; }
  .check { display: flex; align-items: center; gap: 6px; font-weight: normal; }
  .check input { width: auto; margin: 0; }
  .hint { color: #57606a; font-size: 12px; margin-top: 2px; font-weight: normal; }
  .field-error { color: #a40e26; font-size: 12px; margin-top: 2px; }
  [aria-invalid='true'] { border-color: #cf222e; box-shadow: 0 0 0 1px #cf222e; }
  .form-actions { display: flex; gap: 8px; }
  .secret { border: 2px solid #d4a72c; background: #fff8c5; border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; display: grid; gap: 6px; }
  .secret code { font: 700 20px/1.3 ui-monospace, 'DejaVu Sans Mono', monospace; letter-spacing: .05em; user-select: all; }
  .note { background: #ddf4ff; border: 1px solid #54aeff; border-radius: 6px; padding: 6px 10px; font-size: 13px; }
`;

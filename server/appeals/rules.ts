import { authorityDateInvalid, invalidTransition, numbersExhausted } from './errors.js';

/*
 * The company's service standard for appeals (обращения), as data: the kinds with their answer
 * deadlines («Сроки предоставления ответа»), the channels an appeal or feedback arrives by
 * («Обратная связь принимается по следующим каналам»), the topics of a consultation, the life of
 * an appeal and its registration number. Pure: no clock, no database.
 */

interface Labelled { readonly ru: string; readonly en: string }

/**
 * The kinds of appeal the standard sets deadlines for, and only those: the standard has no
 * deadline for an oral appeal by phone, so when the call center registers a written appeal on
 * a caller's behalf the agent picks one of these kinds. `days` are calendar days; an authority's
 * request may instead set its own date (see dueDate).
 */
export const appealKinds = ['paper', 'website', 'office_complaint', 'authority_request', 'outside_competence', 'illegible'] as const;
export type AppealKind = typeof appealKinds[number];
export const APPEAL_KINDS: Readonly<Record<AppealKind, Labelled & { days: number }>> = {
  paper: { days: 30, ru: 'Письменное обращение на бумажном носителе', en: 'Paper letter' },
  website: { days: 30, ru: 'Обращение в электронном виде, отправленное с помощью официального сайта', en: 'Electronic appeal sent via the official website' },
  office_complaint: { days: 30, ru: 'Жалоба потребителя, принятая при обращении в ЦОК', en: 'Complaint received at a customer service office (ЦОК)' },
  authority_request: {
    days: 15,
    ru: 'Обращение органов исполнительной власти, вышестоящих и надзорных организаций о предоставлении документов и материалов',
    en: 'Request of a state authority or a higher or supervisory body for documents and materials',
  },
  outside_competence: { days: 7, ru: 'Обращение, не относящееся к компетенции Общества (в том числе обжалование судебного решения)', en: 'Appeal outside the company\'s competence (including appeals against court decisions)' },
  illegible: { days: 7, ru: 'Обращение, текст которого не поддаётся прочтению, но наименование заявителя и контакты читаемы', en: 'Illegible appeal whose sender\'s name and contacts are legible' },
};

/** The one kind whose sender may set the due date in the request itself. */
export const AUTHORITY_KIND: AppealKind = 'authority_request';

/** Where an appeal came in. Post and e-mail, VK and Telegram are kept apart so reports can tell them apart. */
export const appealChannels = ['call_center', 'office', 'internet_reception', 'personal_account', 'post', 'email', 'vkontakte', 'telegram'] as const;
export type AppealChannel = typeof appealChannels[number];
export const APPEAL_CHANNELS: Readonly<Record<AppealChannel, Labelled>> = {
  call_center: { ru: 'Контакт-центр (телефон)', en: 'Call center (phone)' },
  office: { ru: 'Центр обслуживания клиентов (ЦОК)', en: 'Customer service office (ЦОК)' },
  internet_reception: { ru: 'Интернет-приёмная', en: 'Internet reception' },
  personal_account: { ru: 'Личный кабинет', en: 'Personal account' },
  post: { ru: 'Почта России', en: 'Russian Post' },
  email: { ru: 'Электронная почта', en: 'E-mail' },
  vkontakte: { ru: 'ВКонтакте', en: 'VKontakte' },
  telegram: { ru: 'Телеграм', en: 'Telegram' },
};

/** What a caller asked about, when the agent answered it on the spot (a consultation, not an appeal). */
export const consultationTopics = ['billing', 'payment', 'meter_readings', 'tariffs', 'outage', 'documents', 'personal_account', 'other'] as const;
export type ConsultationTopic = typeof consultationTopics[number];
export const CONSULTATION_TOPICS: Readonly<Record<ConsultationTopic, Labelled>> = {
  billing: { ru: 'Начисления', en: 'Billing' },
  payment: { ru: 'Оплата', en: 'Payment' },
  meter_readings: { ru: 'Показания приборов учёта', en: 'Meter readings' },
  tariffs: { ru: 'Тарифы', en: 'Tariffs' },
  outage: { ru: 'Отключение электроэнергии', en: 'Power outage' },
  documents: { ru: 'Документы и справки', en: 'Documents and certificates' },
  personal_account: { ru: 'Личный кабинет', en: 'Personal account' },
  other: { ru: 'Другое', en: 'Other' },
};

/*
 * An appeal's life. The IVR has a prompt for each of these four statuses (ivr/flows.ts), so the
 * list must not grow without a prompt.
 *
 *   registered  → in_progress | answered   (a simple appeal may be answered at once)
 *   in_progress → answered
 *   answered    → closed
 *
 * Nothing else: an appeal is never closed unanswered (the standard owes every one an answer by
 * its due date), never goes back, and `closed` is final.
 */
export const appealStatuses = ['registered', 'in_progress', 'answered', 'closed'] as const;
export type AppealStatus = typeof appealStatuses[number];
export const APPEAL_STATUSES: Readonly<Record<AppealStatus, Labelled>> = {
  registered: { ru: 'Зарегистрировано', en: 'Registered' },
  in_progress: { ru: 'В работе', en: 'In progress' },
  answered: { ru: 'Ответ дан', en: 'Answered' },
  closed: { ru: 'Закрыто', en: 'Closed' },
};

/** Statuses whose due date still binds the company: the due-soon list shows only these. */
export const OPEN_STATUSES = ['registered', 'in_progress'] as const satisfies readonly AppealStatus[];

const TRANSITIONS: Readonly<Record<AppealStatus, readonly AppealStatus[]>> = {
  registered: ['in_progress', 'answered'],
  in_progress: ['answered'],
  answered: ['closed'],
  closed: [],
};

export function isAppealStatus(s: string): s is AppealStatus {
  return Object.hasOwn(APPEAL_STATUSES, s);
}

/**
 * Checks a status change. Asking for the status the appeal already has returns false (nothing
 * to do: a repeated click is not an error); a legal change returns true; anything else throws
 * CC_ERR_APPEAL_INVALID_TRANSITION naming both statuses.
 */
export function checkTransition(from: AppealStatus, to: AppealStatus): boolean {
  if (from === to) return false;
  if (TRANSITIONS[from].includes(to)) return true;
  throw invalidTransition(from, to);
}

/** Kaliningrad is UTC+2 all year (no DST since 2014): a fixed offset, independent of the host's time zone data. */
const KALININGRAD_OFFSET_MS = 2 * 3600_000;
const DAY_MS = 86_400_000;

/** The calendar day ('YYYY-MM-DD') of an instant in Kaliningrad, where the company and its customers are. */
export function kaliningradDay(at: Date): string {
  return new Date(at.getTime() + KALININGRAD_OFFSET_MS).toISOString().slice(0, 10);
}

/** A 'YYYY-MM-DD' that names a real day (no 2026-02-29), as days since 1970-01-01; null otherwise. */
function dayNumber(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return null;
  return ms / DAY_MS;
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const d = dayNumber(day);
  if (d === null) throw new RangeError(`not a calendar day: ${day}`);
  return new Date((d + n) * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to`: negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a === null || b === null) throw new RangeError(`not a calendar day: ${a === null ? from : to}`);
  return b - a;
}

/**
 * The day an answer is due, 'YYYY-MM-DD'. Convention: the registration day is the Kaliningrad
 * calendar day of `registeredAt` (2026-12-31T22:30Z is already 2027-01-01 there), and a term of
 * N calendar days ends N days after it, so "до 30 календарных дней" from 2026-01-01 is
 * 2026-01-31 (the count starts the day after registration, as civil terms do). Weekends and
 * holidays are not skipped: the standard counts calendar days.
 *
 * For an authority's request, `authorityDate` (the date set in the request) is the due date
 * itself, instead of 15 days; it may be the registration day but not before it. Throws
 * CC_ERR_APPEAL_AUTHORITY_DATE_INVALID if the date is not a real day, is in the past, or is
 * given for any other kind (their deadlines are fixed by the standard).
 */
export function dueDate(kind: AppealKind, registeredAt: Date, authorityDate?: string): string {
  const registered = kaliningradDay(registeredAt);
  if (authorityDate === undefined) return addDays(registered, APPEAL_KINDS[kind].days);
  if (kind !== AUTHORITY_KIND) throw authorityDateInvalid('not_allowed_for_kind', authorityDate, kind);
  const set = dayNumber(authorityDate);
  if (set === null) throw authorityDateInvalid('not_a_date', authorityDate, kind);
  if (set < dayNumber(registered)!) throw authorityDateInvalid('in_the_past', authorityDate, kind);
  return authorityDate;
}

/** The largest sequence a year's numbers have room for (six digits). */
export const MAX_SEQUENCE = 999_999;

/**
 * A registration number: the year's last two digits and a six-digit sequence, '26000042'.
 * Digits only, so a caller can key it into the IVR, whose lookup matches it exactly. Throws
 * CC_ERR_APPEAL_NUMBERS_EXHAUSTED past the millionth appeal of a year.
 */
export function appealNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`bad appeal sequence ${sequence}`);
  if (sequence > MAX_SEQUENCE) throw numbersExhausted(year);
  return `${String(year % 100).padStart(2, '0')}${String(sequence).padStart(6, '0')}`;
}

/** The year whose sequence numbers an appeal registered at `at`: the Kaliningrad calendar year. */
export function numberingYear(at: Date): number {
  return Number(kaliningradDay(at).slice(0, 4));
}

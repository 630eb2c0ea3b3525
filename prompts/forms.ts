import type { en } from './en.js';
import type { PromptId, ru } from './ru.js';
import type { Gender, GrammaticalCase } from './spell/index.js';

/*
 * How each `{part}` of a catalogue text is said in its sentence (issue 10). Russian declines a
 * number with the words around it: «Последний платёж двадцать третьего июля на сумму одну
 * тысячу рублей» needs the genitive date and the accusative amount, «Время ожидания — одна
 * минута» the nominative. The catalogues (prompts/ru.ts, prompts/en.ts) stay plain sentences;
 * this table, beside them, states the form of every part, and renderSpeech (prompts/render.ts)
 * says the value in it. English declines nothing, so it reads the same table and ignores the case.
 */

/**
 * The form of one part:
 * - a case ('nom', 'gen', 'acc'): a money amount, a quantity (kWh, minutes) or a date said in it;
 * - `{ case, gender }`: an ordinal, agreeing with the word it describes («Вы третий»);
 * - 'invariable': said the same in any sentence: plain text, a digit string, a phone number,
 *   a moment («завтра в восемь часов»), another prompt.
 * renderSpeech rejects a value whose kind does not fit its part's form.
 */
export type PartForm = GrammaticalCase | { readonly case: GrammaticalCase; readonly gender: Gender } | 'invariable';

type Text<P extends PromptId> = (typeof ru)[P] | (typeof en)[P];
/** The names of the `{part}`s in a literal text type: 'Вы {position} в очереди.' → 'position'. */
type PartsOf<T> = T extends `${string}{${infer Part}}${infer Rest}` ? Part | PartsOf<Rest> : never;
/** Whether the type checker knows a prompt's text: a text joined with + is typed as plain string. */
type Known<P extends PromptId> = string extends Text<P> ? false : true;
type WithParts<P extends PromptId> = Known<P> extends true ? ([PartsOf<Text<P>>] extends [never] ? false : true) : false;

/**
 * Every prompt whose literal text has parts must declare each of them, and nothing else (the
 * type checker refuses a missing or a stray one). A text joined with + has no literal type, so
 * it may declare any parts and test/unit/prompt-grammar.test.ts checks them against the text.
 */
export type PartForms =
  & { readonly [P in PromptId as WithParts<P> extends true ? P : never]: { readonly [K in PartsOf<Text<P>>]: PartForm } }
  & { readonly [P in PromptId as Known<P> extends true ? never : P]?: Readonly<Record<string, PartForm>> };

export const partForms = {
  info_office: { city: 'invariable', address: 'invariable', hours: 'invariable' },
  info_office_phone: { city: 'invariable', address: 'invariable', hours: 'invariable', phone: 'invariable' },
  // «Калининград — нажмите два»: a key is named by its digit.
  offices_town_key: { city: 'invariable', key: 'invariable' },
  // «оканчивается на двенадцать тридцать четыре»: digits name the number, they count nothing.
  confirm_identified_account: { last: 'invariable' },
  account_readback: { digits: 'invariable' },
  // The object of «ввели»: «Вы ввели одну тысячу один киловатт-час».
  reading_readback: { value: 'acc' },
  // After the colon the value is named: «…меньше предыдущих: одна тысяча один киловатт-час».
  reading_below_last: { last: 'nom' },
  // The object of «составит»: «расход составит двадцать одну тысячу киловатт-часов».
  reading_jump_warning: { delta: 'acc' },
  // The object of «составляет»: «составляет одну тысячу рублей одну копейку».
  balance_debt: { amount: 'acc' },
  balance_credit: { amount: 'acc' },
  // A date said as when is genitive («двадцать третьего июля»); «на сумму» takes the accusative.
  balance_last_payment: { date: 'gen', amount: 'acc' },
  // After the dash the date is named: «Срок ответа — двадцать первое ноября …».
  appeal_status: { digits: 'invariable', status: 'invariable', date: 'nom' },
  // «Вы третий в очереди», masculine as in «Вы следующий в очереди» whoever calls.
  queue_position: { position: { case: 'nom', gender: 'm' } },
  // After the dash: «Примерное время ожидания — одна минута».
  queue_estimate: { minutes: 'nom' },
  callback_readback: { number: 'invariable' },
  // A moment brings its own prepositions and cases: «Мы откроемся в понедельник в восемь часов».
  center_opens: { when: 'invariable' },
  callback_accepted_later: { when: 'invariable' },
} as const satisfies PartForms;

const declared: Readonly<Partial<Record<PromptId, Readonly<Record<string, PartForm>>>>> = partForms;

/** The declared form of `part` in `prompt`, or undefined when prompts/forms.ts declares none. */
export function formOf(prompt: PromptId, part: string): PartForm | undefined {
  const parts = declared[prompt];
  return parts !== undefined && Object.hasOwn(parts, part) ? parts[part] : undefined;
}

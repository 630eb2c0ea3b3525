import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ru } from '../prompts/ru.js';
import type { Language, PromptId } from './speech.js';

/*
 * A voice menu as data (ivr/menus/<language>.json), editable without code. Nodes play a
 * prompt and map keys to actions. `*` (repeat) and `#` (back) work in every node and cannot be
 * reassigned. A file is checked as a whole before use: a broken one is refused with messages
 * naming the node and the field, and the menu in use stays.
 */

const Key = Type.Union('0123456789'.split('').map((k) => Type.Literal(k)), { description: 'a key 0-9' });
const NodeRef = Type.String({ minLength: 1, description: 'a node name' });
const Prompt = Type.String({ minLength: 1, description: 'a prompt id' });

/** One kind of action, as it stands alone (onFailure) and as a keyed option. */
function variant<P extends TProperties>(shape: P) {
  return {
    action: Type.Object(shape, { additionalProperties: false }),
    option: Type.Object({ key: Key, ...shape }, { additionalProperties: false }),
  };
}

const variants = [
  variant({ goto: NodeRef }),
  variant({ say: Prompt, then: Type.Optional(NodeRef) }),
  variant({ offices: Type.Literal(true), then: Type.Optional(NodeRef) }),
  variant({ flow: Type.Union([Type.Literal('submit_reading'), Type.Literal('balance'), Type.Literal('appeal_status')]) }),
  variant({ operator: Type.String({ minLength: 1, description: 'a queue name' }) }),
  variant({ language: Type.Union([Type.Literal('ru'), Type.Literal('en')]) }),
  variant({ hangup: Type.Literal(true) }),
] as const;

const ACTION_HELP = 'one action: goto, say (with then), offices (with then), flow (submit_reading, balance, appeal_status), operator, language (ru, en) or hangup';

export const ActionSchema = Type.Union([
  variants[0].action, variants[1].action, variants[2].action, variants[3].action, variants[4].action, variants[5].action, variants[6].action,
]);
const OptionSchema = Type.Union([
  variants[0].option, variants[1].option, variants[2].option, variants[3].option, variants[4].option, variants[5].option, variants[6].option,
]);

const NodeSchema = Type.Object({
  prompt: Prompt,
  options: Type.Array(OptionSchema, { minItems: 1 }),
  /** where `#` leads; the start node when absent */
  back: Type.Optional(NodeRef),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 60000 })),
  retries: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
}, { additionalProperties: false });

export const MenuSchema = Type.Object({
  version: Type.Literal(1),
  language: Type.Union([Type.Literal('ru'), Type.Literal('en')]),
  start: NodeRef,
  /** played once when the call is answered, before the start node */
  greeting: Type.Array(Prompt),
  /** keys accepted during the greeting (e.g. 9 for another language) */
  greetingOptions: Type.Array(OptionSchema),
  defaults: Type.Object({
    /** how long to wait for a key after a prompt ends */
    timeoutMs: Type.Integer({ minimum: 1000, maximum: 60000 }),
    /** wrong or missing keys before `onFailure` */
    retries: Type.Integer({ minimum: 1, maximum: 10 }),
    /** longest number a caller may type (account, reading, appeal) */
    maxDigits: Type.Integer({ minimum: 1, maximum: 32 }),
  }, { additionalProperties: false }),
  /** what happens after too many wrong or missing keys */
  onFailure: ActionSchema,
  nodes: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), NodeSchema),
}, { additionalProperties: false });

export type MenuAction = Static<typeof ActionSchema>;
export type MenuOption = Static<typeof OptionSchema>;
export type MenuNode = Static<typeof NodeSchema>;
export type Menu = Static<typeof MenuSchema> & { language: Language };

export interface MenuProblem { node: string; field: string; message: string }

export class MenuInvalidError extends Error {
  override readonly name = 'MenuInvalidError';
  readonly code = 'CC_ERR_MENU_INVALID';
  constructor(readonly problems: MenuProblem[]) {
    super(`invalid menu:\n  ${problems.map((p) => `${p.node} ${p.field}: ${p.message}`).join('\n  ')}`);
  }
}

const promptIds = new Set(Object.keys(ru));

/**
 * Checks a parsed menu file and returns it typed and frozen. Throws MenuInvalidError listing
 * every problem: schema errors, unknown nodes or prompts, a key used twice in a node.
 */
export function validateMenu(raw: unknown): Menu {
  const problems: MenuProblem[] = [];
  if (!Value.Check(MenuSchema, raw)) {
    for (const e of Value.Errors(MenuSchema, raw)) {
      const parts = e.path.split('/').filter(Boolean);
      const node = parts[0] === 'nodes' && parts[1] !== undefined ? `node "${parts[1]}"` : 'menu';
      const field = (parts[0] === 'nodes' ? parts.slice(2) : parts).join('.') || '(root)';
      // A union reports only that no variant matched; say what an option or action may be.
      const message = e.message === 'Expected union value' && /(options|greetingOptions)\/\d+$|onFailure$/.test(e.path)
        ? `expected a key 0-9 and ${ACTION_HELP}` : e.message;
      if (!problems.some((p) => p.node === node && p.field === field)) problems.push({ node, field, message });
    }
    throw new MenuInvalidError(problems);
  }
  const menu = raw as Menu;
  const nodeExists = (name: string) => Object.hasOwn(menu.nodes, name);
  const checkPrompt = (node: string, field: string, id: string) => {
    if (!promptIds.has(id)) problems.push({ node, field, message: `unknown prompt "${id}"` });
  };
  const checkNode = (node: string, field: string, name: string | undefined) => {
    if (name !== undefined && !nodeExists(name)) problems.push({ node, field, message: `unknown node "${name}"` });
  };
  const checkAction = (node: string, field: string, a: MenuAction) => {
    if ('goto' in a) checkNode(node, `${field}.goto`, a.goto);
    if ('then' in a) checkNode(node, `${field}.then`, a.then);
    if ('say' in a) checkPrompt(node, `${field}.say`, a.say);
  };
  const checkOptions = (node: string, field: string, options: MenuOption[]) => {
    const seen = new Set<string>();
    options.forEach((o, i) => {
      if (seen.has(o.key)) problems.push({ node, field: `${field}[${i}].key`, message: `key ${o.key} is used twice` });
      seen.add(o.key);
      checkAction(node, `${field}[${i}]`, o);
    });
  };
  checkNode('menu', 'start', menu.start);
  menu.greeting.forEach((id, i) => checkPrompt('menu', `greeting[${i}]`, id));
  checkOptions('menu', 'greetingOptions', menu.greetingOptions);
  checkAction('menu', 'onFailure', menu.onFailure);
  for (const [name, node] of Object.entries(menu.nodes)) {
    const where = `node "${name}"`;
    checkPrompt(where, 'prompt', node.prompt);
    checkNode(where, 'back', node.back);
    checkOptions(where, 'options', node.options);
  }
  if (problems.length > 0) throw new MenuInvalidError(problems);
  return deepFreeze(structuredClone(menu));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The node's option for a key, if any. */
export function optionFor(options: readonly MenuOption[], key: string): MenuOption | undefined {
  return options.find((o) => o.key === key);
}

export type { PromptId };

import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { MenuInvalidError, validateMenu, type Menu } from '../../ivr/menu.js';
import { languages, type Language } from '../../ivr/speech.js';
import { AppError } from '../errors.js';

export const defaultMenuDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ivr', 'menus');

/**
 * The voice menus in force, one file per language (`<dir>/<language>.json`). A changed file is
 * reloaded without a restart; a file that does not validate is refused with the problems logged,
 * and the menu in force stays. Calls keep the menus they started with.
 */
export class MenuRegistry {
  #menus: Readonly<Record<Language, Menu>>;
  #watchers: FSWatcher[] = [];
  #reloadTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly dir: string, menus: Record<Language, Menu>, private readonly log: FastifyBaseLogger) {
    this.#menus = Object.freeze(menus);
  }

  /** Loads every language's menu; throws CC_ERR_MENU_INVALID naming the file, node and field. */
  static async load(dir: string, log: FastifyBaseLogger): Promise<MenuRegistry> {
    const menus = {} as Record<Language, Menu>;
    for (const lang of languages) menus[lang] = await loadMenuFile(dir, lang);
    return new MenuRegistry(dir, menus, log);
  }

  current(): Readonly<Record<Language, Menu>> {
    return this.#menus;
  }

  /** Re-reads every file; keeps the current menus when any is broken. Returns whether it changed them. */
  async reload(): Promise<boolean> {
    try {
      const next = {} as Record<Language, Menu>;
      for (const lang of languages) next[lang] = await loadMenuFile(this.dir, lang);
      this.#menus = Object.freeze(next);
      this.log.info({ dir: this.dir }, 'voice menus reloaded');
      return true;
    } catch (err) {
      this.log.error({ err: (err as Error).message, details: (err as AppError).details }, 'voice menu refused; the menu in force stays');
      return false;
    }
  }

  /** Reloads when a menu file changes (debounced: editors write in several steps). */
  watch(): void {
    const watcher = watch(this.dir, (_event, file) => {
      if (file === null || !file.endsWith('.json')) return;
      clearTimeout(this.#reloadTimer);
      this.#reloadTimer = setTimeout(() => void this.reload(), 150);
    });
    this.#watchers.push(watcher);
  }

  close(): void {
    clearTimeout(this.#reloadTimer);
    for (const w of this.#watchers.splice(0)) w.close();
  }
}

async function loadMenuFile(dir: string, lang: Language): Promise<Menu> {
  const file = join(dir, `${lang}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('CC_ERR_MENU_INVALID', `voice menu ${file} cannot be read: ${(err as Error).message}`, { file }, { cause: err });
  }
  try {
    const menu = validateMenu(raw);
    if (menu.language !== lang) {
      throw new MenuInvalidError([{ node: 'menu', field: 'language', message: `is "${menu.language}" in the file for "${lang}"` }]);
    }
    return menu;
  } catch (err) {
    if (!(err instanceof MenuInvalidError)) throw err;
    throw new AppError('CC_ERR_MENU_INVALID', `voice menu ${file}: ${err.message}`, { file, problems: err.problems }, { cause: err });
  }
}

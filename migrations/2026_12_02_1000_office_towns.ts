import type { Kysely } from 'kysely';

/*
 * Which towns each customer service office serves, so the IVR reads a caller's own office first
 * (issue 10: reading every office took 25 s). A comma-separated list of town names as accounts
 * store them (accounts.city); the office's own town always counts. Never edit once merged.
 */

const SERVED: Record<string, string> = {
  'Калининград': 'Калининград, Балтийск, Гурьевск, Светлогорск, Зеленоградск, Пионерский, Янтарный, Багратионовск, Ладушкин, Мамоново, Полесск, Правдинск',
  'Советск': 'Советск, Неман, Славск',
  'Черняховск': 'Черняховск, Гусев, Озёрск, Нестеров, Краснознаменск, Гвардейск',
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('offices').addColumn('towns', 'text', (c) => c.notNull().defaultTo('')).execute();
  for (const [city, towns] of Object.entries(SERVED)) {
    await db.updateTable('offices').set({ towns }).where('city_ru', '=', city).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('offices').dropColumn('towns').execute();
}

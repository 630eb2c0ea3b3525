import type { Kysely } from 'kysely';

/*
 * Customer service offices (ЦОК) that the IVR reads out: reference data, kept in a table so
 * that addresses and hours change without code. The rows below are the initial list; edit the
 * table to match the real offices. Never edit this file once merged.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  const table = db.schema.createTable('offices');
  await (isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('city_ru', 'text', (c) => c.notNull())
    .addColumn('city_en', 'text', (c) => c.notNull())
    .addColumn('address_ru', 'text', (c) => c.notNull())
    .addColumn('address_en', 'text', (c) => c.notNull())
    .addColumn('hours_ru', 'text', (c) => c.notNull())
    .addColumn('hours_en', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  const weekdays = { ru: 'понедельник — четверг с восьми до семнадцати, пятница с восьми до шестнадцати', en: 'Monday to Thursday, eight a.m. to five p.m.; Friday, eight a.m. to four p.m.' };
  await db.insertInto('offices').values([
    { sort_order: 1, city_ru: 'Калининград', city_en: 'Kaliningrad', address_ru: 'улица Театральная, дом тридцать четыре', address_en: '34 Teatralnaya Street', hours_ru: weekdays.ru, hours_en: weekdays.en },
    { sort_order: 2, city_ru: 'Советск', city_en: 'Sovetsk', address_ru: 'улица Победы, дом двадцать', address_en: '20 Pobedy Street', hours_ru: weekdays.ru, hours_en: weekdays.en },
    { sort_order: 3, city_ru: 'Черняховск', city_en: 'Chernyakhovsk', address_ru: 'улица Ленина, дом десять', address_en: '10 Lenina Street', hours_ru: weekdays.ru, hours_en: weekdays.en },
  ]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('offices').ifExists().execute();
}

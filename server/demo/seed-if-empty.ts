import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { generateDemoData } from './generator.js';

/**
 * At start: fills an empty database with demo data (customers and the demo logins of README)
 * when DEMO_DATA is on; with DEMO_DATA=off it writes nothing, so the database has no login at
 * all until `npm run admin -- create-admin` makes one. The generator fills only an empty
 * database: any customer or staff member means it is in use. Resolves with whether it generated.
 */
export async function seedIfEmpty(db: Db, config: Pick<Config, 'demo'>, progress: (line: string) => void): Promise<boolean> {
  if (!config.demo.enabled) return false;
  const customer = await db.selectFrom('customers').select('id').limit(1).executeTakeFirst();
  const agent = await db.selectFrom('agents').select('id').limit(1).executeTakeFirst();
  if (customer !== undefined || agent !== undefined) return false;
  progress(`empty database: generating ${config.demo.customers} demo customers (seed ${config.demo.seed})`);
  const summary = await generateDemoData(db, {
    customers: config.demo.customers, seed: config.demo.seed, asOf: new Date(),
    onProgress: (done, total) => progress(`demo data: ${done}/${total} customers`),
  });
  progress(`demo data ready in ${summary.seconds.toFixed(1)} s`);
  return true;
}

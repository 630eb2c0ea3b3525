import { isIP } from 'node:net';
import type { Db } from '../db/database.js';
import { DEMO_STAFF } from '../demo/curated.js';
import { AppError } from '../errors.js';
import { verifyPassword } from './passwords.js';

/** Whether HOST keeps the server to this machine: a loopback address or 'localhost'. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** The active demo logins (README's operator1, operator2, supervisor1, admin) that still have their demo password. */
export async function loginsWithDemoPasswords(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('agents').select(['username', 'password_hash'])
    .where('username', 'in', DEMO_STAFF.map((s) => s.username)).where('active', '=', 1).orderBy('username').execute();
  const found: string[] = [];
  for (const row of rows) {
    const demo = DEMO_STAFF.find((s) => s.username === row.username)!;
    if (await verifyPassword(demo.password, row.password_hash)) found.push(row.username);
  }
  return found;
}

/**
 * Refuses to serve beyond this machine while README's demo passwords open the door: throws
 * CC_ERR_AUTH_DEMO_PASSWORDS (its message says which logins and what to do, `details.logins`)
 * when `host` is not loopback and an active demo login still has its demo password. Nothing is
 * checked on loopback, where the demo is meant to run.
 */
export async function refuseDemoPasswordsBeyondLoopback(db: Db, host: string): Promise<void> {
  if (isLoopbackHost(host)) return;
  const logins = await loginsWithDemoPasswords(db);
  if (logins.length === 0) return;
  throw new AppError('CC_ERR_AUTH_DEMO_PASSWORDS',
    `HOST=${host} serves the network, but these logins still have the demo passwords printed in README: ${logins.join(', ')}. `
    + 'Change their passwords (the admin view\'s "reset password", or `npm run admin -- reset-password --login NAME`) or deactivate them, '
    + 'starting once on HOST=127.0.0.1 to do it; or start a fresh database with DEMO_DATA=off and create your admin with '
    + '`npm run admin -- create-admin --login NAME`. / '
    + `Сервер на HOST=${host} доступен из сети, а у этих учётных записей остались демо-пароли из README: ${logins.join(', ')}. `
    + 'Смените им пароли (сброс пароля в разделе администратора или `npm run admin -- reset-password --login ИМЯ`) или отключите их, '
    + 'запустив сервер для этого на HOST=127.0.0.1; либо начните с новой базы с DEMO_DATA=off и создайте администратора: '
    + '`npm run admin -- create-admin --login ИМЯ`.',
    { host, logins });
}

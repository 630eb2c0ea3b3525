import t from 'tap';
import { ivrMenuCases, startIvrRig } from './ivr-cases.js';
import type { SippOptions } from '../support/sipp.js';

/*
 * Real callers (sipp, keys as SIP INFO) through the real Asterisk into the IVR: the menu cases
 * (shared with ivr-rfc2833.test.ts), then what only INFO callers can do here (each call of a run
 * typing its own number from sipp's -inf file).
 */

const rig = await startIvrRig(t, 'info');
const { server, call, accountId } = rig;
ivrMenuCases(t, rig);

t.test('a caller who hangs up in the middle of a reading stores nothing', async (t) => {
  const id = await accountId('3900000005');
  const before = await server.db.selectFrom('meter_readings').select('id').where('account_id', '=', id).execute();
  const { calls } = await call('+79990000105', [
    { keys: '2' }, { pause: 800 }, { keys: '3900000005#' }, { pause: 1500 }, { keys: '1' }, { pause: 1500 }, { keys: '31' }, { hangup: true },
  ]);
  const after = await server.db.selectFrom('meter_readings').select('id').where('account_id', '=', id).execute();
  t.equal(after.length, before.length, 'no reading');
  t.equal(calls[0]!.outcome, 'abandoned');
});

t.test('20 simultaneous callers each send their own reading for their own account', async (t) => {
  const accounts = await server.db.selectFrom('accounts as a')
    .innerJoin('meter_readings as m', 'm.account_id', 'a.id')
    .select(['a.id', 'a.number', (eb) => eb.fn.max('m.day_value').as('last')])
    .where('a.tariff', '=', 'single').where('a.closed_at', 'is', null).where('a.number', 'not like', '39000000%')
    .groupBy(['a.id', 'a.number']).orderBy('a.number').limit(20).execute();
  t.equal(accounts.length, 20);
  const rows = accounts.map((a) => [...a.number, ...String(Number(a.last) + 77).padStart(6, '0')]);
  const steps: SippOptions['scenario'] = [
    { keys: '2' }, { pause: 1000 }, { fields: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }, { keys: '#' }, { pause: 2500 }, { keys: '1' }, { pause: 2500 },
    { fields: [10, 11, 12, 13, 14, 15] }, { keys: '#' }, { pause: 2500 }, { keys: '1' }, { pause: 3000 }, { hangup: true },
  ];
  const { result, calls } = await call('+79990000106', steps, { calls: 20, rate: 20, limit: 20, injection: rows });
  t.equal(result.code, 0, result.errors);
  t.equal(new Set(calls.map((c) => c.id)).size, 20);
  const callIds = calls.map((c) => c.id);
  for (const a of accounts) {
    const stored = await server.db.selectFrom('meter_readings').selectAll().where('account_id', '=', a.id).where('call_id', 'in', callIds).execute();
    t.equal(stored.length, 1, `account ${a.number}: one reading`);
    t.equal(stored[0]?.day_value, Number(a.last) + 77, `account ${a.number}: its own value`);
    t.ok(calls.some((c) => c.id === stored[0]?.call_id), `account ${a.number}: linked to one of the calls`);
  }
  const linked = new Set((await server.db.selectFrom('meter_readings').select('call_id').where('call_id', 'in', callIds).execute()).map((r) => r.call_id));
  t.ok(calls.every((c) => linked.has(c.id)), 'every call stored its reading');
});

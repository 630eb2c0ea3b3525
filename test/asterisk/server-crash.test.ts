import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openDatabase } from '../../server/db/database.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, TEST_APP } from '../support/asterisk.js';
import { startServerProcess } from '../support/server-process.js';
import { runSipp } from '../support/sipp.js';

t.test('a server killed during a call cleans up the orphaned channel and records it when it starts again', async (t) => {
  const asterisk = await startTestAsterisk(t, 'crash');
  const dir = mkdtempSync(join(tmpdir(), 'cc-crash-'));
  const dbPath = join(dir, 'cc.db');
  const first = await startServerProcess({ asterisk, dbPath, app: TEST_APP });
  t.teardown(() => first.kill());

  const db = openDatabase(dbPath);
  t.teardown(async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); });
  const caller = await runSipp({ scenario: 'caller-until-bye.xml', sipPort: asterisk.sipPort, caller: '+74012000021', timeoutS: 60 });
  t.teardown(() => caller.kill());
  const call = await eventually(async () => {
    const row = await db.selectFrom('calls').selectAll().where('caller_number', '=', '+74012000021').executeTakeFirst();
    return row?.answered_at != null ? row : undefined;
  }, 15_000, 'the call to be answered');

  await first.kill();
  const second = await startServerProcess({ asterisk, dbPath, app: TEST_APP });
  t.teardown(() => second.stop());

  const result = await caller.done;
  t.equal(result.code, 0, `the caller was hung up cleanly: ${result.errors}`);
  const closed = await eventually(async () => {
    const row = await db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 10_000, 'the orphaned call to be recorded');
  t.equal(closed.outcome, 'orphaned');
  const events = await db.selectFrom('call_events').select('type').where('call_id', '=', call.id).orderBy('id').execute();
  t.equal(events.at(-1)?.type, 'lost');
  await noLeftovers(asterisk);
});

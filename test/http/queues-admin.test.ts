import t from 'tap';
import type { Db } from '../../server/db/database.js';
import { addAgent, testApp } from '../support/app.js';

/** An app with a supervisor (who may edit queues) and their session. */
async function adminApp(t: Parameters<typeof testApp>[0], seed: (db: Db) => Promise<void> = async () => {}) {
  const app = await testApp(t, {
    seed: async (db) => {
      await seed(db);
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  return { app, api: await app.loginAs('boss', 'boss-password') };
}

const good = {
  titleRu: 'Отключения', titleEn: 'Outages', skill: 'general', priority: 5, slThresholdS: 20, maxWaitS: 300,
  announceEveryS: 30, wrapUpS: 10, ringS: 15, recording: false, active: true,
};

t.test('a queue is created and edited as data, and the queue engine takes the change', async (t) => {
  let agentId = 0;
  const { app, api } = await adminApp(t, async (db) => { agentId = await addAgent(db, 'operator1', {}); });
  const created = await api.inject({ method: 'PUT', url: '/api/queues/outages', payload: good });
  t.equal(created.statusCode, 200);
  t.match(created.json(), { id: 'outages', titleRu: 'Отключения', priority: 5 });
  const members = await api.inject({ method: 'PUT', url: '/api/queues/outages/members', payload: [{ agentId, priority: 1 }] });
  t.equal(members.statusCode, 200);
  const audit = await app.db.selectFrom('audit_log').selectAll().where('subject', '=', 'queue:outages').orderBy('id').execute();
  t.same(audit.map((a) => a.action), ['queue.update', 'queue.members'], 'both changes audited');
  t.match(JSON.parse(audit[0]!.after!), { titleRu: 'Отключения', priority: 5 });
  t.same(JSON.parse(audit[1]!.after!), { members: [{ agentId, priority: 1 }] });
  await api.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  // The engine knows the new queue: a transfer target must exist there.
  const list = (await api.inject({ method: 'GET', url: '/api/queues' })).json() as Array<{ id: string }>;
  t.equal(list[0]!.id, 'outages', 'highest priority first');
});

t.test('a queue\'s music-on-hold class is \'default\' unless one is given, and an edit that leaves it out keeps it', async (t) => {
  const { api } = await adminApp(t);
  const created = await api.inject({ method: 'PUT', url: '/api/queues/outages', payload: good });
  t.equal(created.json().musicClass, 'default');
  const calm = await api.inject({ method: 'PUT', url: '/api/queues/outages', payload: { ...good, musicClass: 'calm' } });
  t.equal(calm.json().musicClass, 'calm');
  const edited = await api.inject({ method: 'PUT', url: '/api/queues/outages', payload: { ...good, priority: 6 } });
  t.match(edited.json(), { priority: 6, musicClass: 'calm' });
});

for (const [field, value] of [['priority', -1], ['ringS', 1], ['skill', 'sales'], ['titleRu', ''], ['maxWaitS', 'long'], ['musicClass', 'calm music; evil']] as const) {
  t.test(`a queue with a bad ${field} is refused with a 400 naming the field`, async (t) => {
    const { api } = await adminApp(t);
    const res = await api.inject({ method: 'PUT', url: '/api/queues/outages', payload: { ...good, [field]: value } });
    t.equal(res.statusCode, 400);
    t.equal(res.json().code, 'CC_ERR_VALIDATION');
    t.ok((res.json().details.errors as Array<{ path: string }>).some((e) => e.path === `/${field}`), JSON.stringify(res.json().details));
  });
}

t.test('members naming an unknown agent, or one twice, are refused; a bad queue id is a 400', async (t) => {
  const { api } = await adminApp(t);
  const unknown = await api.inject({ method: 'PUT', url: '/api/queues/general/members', payload: [{ agentId: 99, priority: 1 }] });
  t.equal(unknown.statusCode, 400);
  t.equal(unknown.json().details.field, '/0/agentId');
  const badId = await api.inject({ method: 'PUT', url: '/api/queues/Bad%20Id', payload: good });
  t.equal(badId.statusCode, 400);
  const missing = await api.inject({ method: 'PUT', url: '/api/queues/nowhere/members', payload: [] });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'CC_ERR_QUEUE_NOT_FOUND');
});

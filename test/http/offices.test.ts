import t from 'tap';
import { addAgent, testApp, type Session, type TestApp } from '../support/app.js';
import { eventually } from '../support/fake-telephony.js';

/*
 * Issue 11: the offices the IVR reads out are edited in the product; an edit is heard by the
 * next caller without a restart (its sentences voiced at once).
 */

async function officeApp(t: Parameters<typeof testApp>[0]): Promise<{ app: TestApp; admin: Session; adminId: number }> {
  let adminId = 0;
  const app = await testApp(t, {
    seed: async (db) => {
      adminId = await addAgent(db, 'chief', {}, { role: 'admin', password: 'chief-password' });
      await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-password' });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  return { app, admin: await app.loginAs('chief', 'chief-password'), adminId };
}

const office = {
  sortOrder: 4, cityRu: 'Гусев', cityEn: 'Gusev', addressRu: 'улица Московская, дом пять', addressEn: '5 Moskovskaya Street',
  hoursRu: 'По будням с девяти до восемнадцати', hoursEn: 'Weekdays, nine to six', phone: '+7 40143 3-12-34', towns: ['Гусев', 'Нестеров'], active: true,
};

t.test('any staff member reads the offices in their order, with towns as a list and the phone', async (t) => {
  const { app } = await officeApp(t);
  const agent = await app.loginAs('operator1', 'operator1-password');
  const res = await agent.inject({ method: 'GET', url: '/api/offices' });
  t.equal(res.statusCode, 200);
  t.same(res.json().map((o: { cityRu: string }) => o.cityRu), ['Калининград', 'Советск', 'Черняховск']);
  t.match(res.json()[1], { sortOrder: 2, cityEn: 'Sovetsk', phone: '', towns: ['Советск', 'Неман', 'Славск'], active: true });
});

t.test('an admin adds an office; callers hear it and its phone at once, and it is audited', async (t) => {
  const { app, admin, adminId } = await officeApp(t);
  app.speech.heard.length = 0;
  const res = await admin.inject({ method: 'POST', url: '/api/offices', payload: office });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { ...office, id: Number });
  const said = app.speech.heard.filter((h) => h.prompt === 'info_office_phone').map((h) => h.text);
  t.same(said, [
    'Гусев, улица Московская, дом пять. По будням с девяти до восемнадцати. Телефон: восемь, четыреста один, четыреста тридцать три, двенадцать, тридцать четыре.',
    'Gusev, 5 Moskovskaya Street. Weekdays, nine to six. Phone: plus seven, four zero one, four three three, one two, three four.',
  ], 'its sentence voiced in Russian and English before the reply');
  const [row] = await app.db.selectFrom('audit_log').selectAll().where('subject', '=', `office:${res.json().id}`).execute();
  t.match(row, { action: 'office.create', actor_agent_id: adminId, before: null });
  t.match(JSON.parse(row!.after!), { cityRu: 'Гусев', towns: ['Гусев', 'Нестеров'] });
});

t.test('an edit to an office is voiced right away and the IVR reads the new text, no restart', async (t) => {
  const { app, admin } = await officeApp(t);
  const [first] = (await admin.inject({ method: 'GET', url: '/api/offices' })).json();
  app.speech.heard.length = 0;
  const edited = { ...first, addressRu: 'улица Театральная, дом тридцать шесть', hoursRu: 'с девяти до восемнадцати' };
  delete edited.id;
  const res = await admin.inject({ method: 'PUT', url: `/api/offices/${first.id}`, payload: edited });
  t.equal(res.statusCode, 200);
  t.equal(res.json().addressRu, 'улица Театральная, дом тридцать шесть');
  t.ok(app.speech.heard.some((h) => h.prompt === 'info_office' && h.text === 'Калининград, улица Театральная, дом тридцать шесть. с девяти до восемнадцати.'),
    'the new sentence reached the speech port before the reply');

  const [row] = await app.db.selectFrom('audit_log').selectAll().where('subject', '=', `office:${first.id}`).execute();
  t.same(JSON.parse(row!.before!), { addressRu: first.addressRu, hoursRu: first.hoursRu });
  t.same(JSON.parse(row!.after!), { addressRu: 'улица Театральная, дом тридцать шесть', hoursRu: 'с девяти до восемнадцати' });

  // A caller now: menu 1 (information), then 1 (offices), then 9 (all of them).
  app.speech.heard.length = 0;
  app.telephony.callIn('caller-1', '+74012999999');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play' && r.channelId === 'caller-1'));
  app.telephony.press('caller-1', '1');
  await eventually(() => app.speech.heard.find((h) => h.prompt === 'info_menu'));
  app.telephony.press('caller-1', '1');
  await eventually(() => app.speech.heard.find((h) => h.prompt === 'offices_choose_town'));
  app.telephony.press('caller-1', '9');
  const heard = await eventually(() => app.speech.heard.find((h) => h.prompt === 'info_office' && h.text.startsWith('Калининград')));
  t.equal(heard.text, 'Калининград, улица Театральная, дом тридцать шесть. с девяти до восемнадцати.');
  app.telephony.hangUpFromCaller('caller-1');
  await eventually(async () => (await app.db.selectFrom('calls').select('ended_at').executeTakeFirst())?.ended_at ?? undefined, 3000, 'the call over');
});

t.test('agents and supervisors may not add or edit offices; an unknown office is 404; bad fields change nothing', async (t) => {
  const { app, admin } = await officeApp(t);
  const before = (await admin.inject({ method: 'GET', url: '/api/offices' })).json();
  for (const [login, password] of [['operator1', 'operator1-password'], ['boss', 'boss-password']] as const) {
    const s = await app.loginAs(login, password);
    t.equal((await s.inject({ method: 'POST', url: '/api/offices', payload: office })).json().code, 'CC_ERR_AUTH_FORBIDDEN');
    t.equal((await s.inject({ method: 'PUT', url: `/api/offices/${before[0].id}`, payload: office })).json().code, 'CC_ERR_AUTH_FORBIDDEN');
  }
  const missing = await admin.inject({ method: 'PUT', url: '/api/offices/999', payload: office });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'CC_ERR_OFFICE_NOT_FOUND');
  for (const bad of [
    { ...office, cityRu: '' }, { ...office, phone: 'call us' }, { ...office, phone: '123' }, { ...office, towns: ['Гусев, Нестеров'] },
    { ...office, addressRu: 'улица {city}' }, { ...office, id: 1 }, { ...office, active: 'yes' },
  ]) {
    const res = await admin.inject({ method: 'PUT', url: `/api/offices/${before[0].id}`, payload: bad });
    t.equal(res.statusCode, 400, JSON.stringify(bad));
    t.equal(res.json().code, 'CC_ERR_VALIDATION');
  }
  t.same((await admin.inject({ method: 'GET', url: '/api/offices' })).json(), before);
  t.same(await app.db.selectFrom('audit_log').select('id').execute(), []);
});

import pino from 'pino';
import t from 'tap';
import { AgentPhones, endpointFields, sameFields, type PhoneAgent } from '../../server/agents/phones.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const webrtc: PhoneAgent = { username: 'operator1', sip_password: 's3cret', phone_kind: 'webrtc', sip_contact: null, language: 'ru' };
const desk: PhoneAgent = { username: 'desk7', sip_password: 'd3sk', phone_kind: 'sip', sip_contact: null, language: 'en' };

t.test('a WebRTC agent gets a DTLS endpoint on the WebSocket transport and one registration at a time', async (t) => {
  const { endpoint, auth, aor } = endpointFields(webrtc);
  t.match(endpoint, {
    transport: 'transport-ws', webrtc: 'yes', dtls_auto_generate_cert: 'yes', context: 'from-agents',
    disallow: 'all', allow: 'opus,alaw,ulaw', auth: 'operator1', aors: 'operator1', language: 'ru',
  });
  t.same(aor, { max_contacts: '1', remove_existing: 'yes' });
  t.same(auth, { auth_type: 'userpass', username: 'operator1', password: 's3cret' });
});

t.test('a SIP agent gets a plain UDP endpoint with G.711 and symmetric RTP, registering unless it has a fixed contact', async (t) => {
  const registering = endpointFields(desk);
  t.match(registering.endpoint, { transport: 'transport-udp', allow: 'alaw,ulaw', direct_media: 'no', rtp_symmetric: 'yes', context: 'from-agents' });
  t.notOk('webrtc' in registering.endpoint, 'no WebRTC settings');
  t.same(registering.aor, { max_contacts: '1', remove_existing: 'yes' });

  const fixed = endpointFields({ ...desk, sip_contact: 'sip:agent@127.0.0.1:5099' });
  t.same(fixed.aor, { contact: 'sip:agent@127.0.0.1:5099' }, 'the AOR carries the fixed contact');
  t.same(fixed.auth, { auth_type: 'userpass', username: 'desk7', password: 'd3sk' });
});

t.test('a row that cannot make a phone is refused with CC_ERR_VALIDATION', async (t) => {
  t.throws(() => endpointFields({ ...webrtc, username: 'trunk' }), { code: 'CC_ERR_VALIDATION', details: { field: 'username' } }, 'pjsip.conf\'s name');
  t.throws(() => endpointFields({ ...webrtc, username: 'with space' }), { code: 'CC_ERR_VALIDATION', details: { field: 'username' } });
  t.throws(() => endpointFields({ ...webrtc, sip_password: '' }), { code: 'CC_ERR_VALIDATION', details: { field: 'sip_password' } });
  t.throws(() => endpointFields({ ...desk, sip_contact: 'sip:a@b, sip:c@d' }), { code: 'CC_ERR_VALIDATION', details: { field: 'sip_contact' } }, 'two contacts');
  t.throws(() => endpointFields({ ...desk, sip_contact: 'http://example' }), { code: 'CC_ERR_VALIDATION', details: { field: 'sip_contact' } });
});

t.test('fields read back in Asterisk\'s spelling count as the same; a changed password does not', async (t) => {
  const { endpoint, auth } = endpointFields(webrtc);
  const held = { ...endpoint, allow: '(opus|alaw|ulaw)', webrtc: 'yes', dtls_auto_generate_cert: 'Yes', direct_media: 'false', max_audio_streams: '1' };
  delete (held as Record<string, string>).disallow;
  t.ok(sameFields(endpoint, held));
  t.notOk(sameFields(endpoint, { ...held, transport: 'transport-udp' }));
  t.notOk(sameFields(auth, { ...auth, password: 'old' }));
  t.notOk(sameFields({ password: 'yes' }, { password: 'true' }), 'only known yes/no fields are compared as booleans');
});

t.test('synchronising pushes every active agent\'s phone with its SIP password from the database and removes inactive ones', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  const row = { display_name: 'x', role: 'agent' as const, password_hash: 'x', language: 'ru', created_at: '2026-11-25T12:00:00.000Z' };
  await db.insertInto('agents').values({ ...row, username: 'operator1', sip_password: 'from-the-db', active: 1, phone_kind: 'webrtc', sip_contact: null }).execute();
  await db.insertInto('agents').values({ ...row, username: 'left1', sip_password: 'x', active: 0, phone_kind: 'webrtc', sip_contact: null }).execute();
  await db.insertInto('agents').values({ ...row, username: 'bad name', sip_password: 'x', active: 1, phone_kind: 'webrtc', sip_contact: null }).execute();
  const telephony = new FakeTelephony();
  const phones = new AgentPhones(db, telephony, pino({ level: 'silent' }));

  t.same(await phones.syncAll(), { pushed: 1, unchanged: 0, removed: 1, skipped: 1 });
  const pushes = telephony.requests.flatMap((r) => (r.op === 'push_config' ? [[r.objectType, r.id]] : []));
  t.same(pushes, [['auth', 'operator1'], ['aor', 'operator1'], ['endpoint', 'operator1']], 'auth and AOR before the endpoint naming them');
  t.equal(telephony.config.get('auth/operator1')?.password, 'from-the-db');
  t.ok(telephony.requests.some((r) => r.op === 'delete_config' && r.id === 'left1'), 'the inactive agent\'s phone is deleted');

  telephony.requests.length = 0;
  t.same(await phones.syncAll(), { pushed: 0, unchanged: 1, removed: 1, skipped: 1 }, 'nothing to push the second time');
  t.notOk(telephony.requests.some((r) => r.op === 'push_config'));

  await db.updateTable('agents').set({ username: 'operator9' }).where('username', '=', 'operator1').execute();
  const { id } = await db.selectFrom('agents').select('id').where('username', '=', 'operator9').executeTakeFirstOrThrow();
  t.equal(await phones.sync(id), 'pushed');
  t.notOk(telephony.config.has('endpoint/operator1'), 'a renamed agent\'s old endpoint is removed');
  t.ok(telephony.config.has('endpoint/operator9'));

  const bad = await db.selectFrom('agents').select('id').where('username', '=', 'bad name').executeTakeFirstOrThrow();
  await t.rejects(phones.sync(bad.id), { code: 'CC_ERR_VALIDATION' }, 'syncing one bad agent says why');
  t.equal(await phones.sync(999), 'skipped', 'an unknown agent does nothing');
});

t.test('an ARI failure stops the synchronisation with the ARI error', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  await db.insertInto('agents').values({ username: 'operator1', display_name: 'x', role: 'agent', password_hash: 'x', sip_password: 'p', created_at: 'x' }).execute();
  const telephony = new FakeTelephony();
  telephony.failNext.add('push_config');
  await t.rejects(new AgentPhones(db, telephony, pino({ level: 'silent' })).syncAll(), { code: 'CC_ERR_ARI_REQUEST_FAILED' });
});

t.test('with MEDIA_ADDRESS a browser phone\'s media is offered and bound on that address; a desk phone is left alone', async (t) => {
  const agent = { username: 'operator1', sip_password: 'pw', sip_contact: null, language: 'ru' } as const;
  t.match(endpointFields({ ...agent, phone_kind: 'webrtc' }, { mediaAddress: '10.77.1.1' }).endpoint, { media_address: '10.77.1.1', bind_rtp_to_media_address: 'yes' });
  t.notOk('media_address' in endpointFields({ ...agent, phone_kind: 'webrtc' }).endpoint, 'none without it: Asterisk offers its own addresses');
  t.notOk('media_address' in endpointFields({ ...agent, phone_kind: 'sip' }, { mediaAddress: '10.77.1.1' }).endpoint);
});

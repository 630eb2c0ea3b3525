import pino from 'pino';
import { loadConfig, type AriSettings, type Config } from './config.js';
import { buildApp } from './app.js';
import { AriConnection } from './ari/connection.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedIfEmpty } from './demo/seed-if-empty.js';
import { isAppError } from './errors.js';
import { refuseDemoPasswordsBeyondLoopback } from './auth/demo-passwords.js';
import { provisionAsterisk } from './asterisk/install.js';
import { createAsteriskInstance, type AsteriskInstance } from './asterisk/instance.js';
import type { AsteriskInstallation } from './asterisk/install.js';
import { defaultMenuDir, MenuRegistry } from './menus/registry.js';
import { WorkingHours } from './schedule/service.js';
import { SynthesizedSpeech } from './speech/synthesized.js';
import { prevoiceOffices, prevoiceQueueWords } from './speech/prevoice.js';
import { loadTls } from './tls/certificate.js';
import { PromptAudio } from '../prompts/synth/store.js';
import { staticPrompts } from '../prompts/render.js';
import { fixedStarts } from '../prompts/pieces.js';
import { languages } from '../ivr/speech.js';
import { buildAgentUi } from './ui/bundle.js';

/*
 * `npm start`: the whole product on one machine. Without ARI_* variables it provisions and
 * runs its own Asterisk; with them it drives the Asterisk they point at and starts nothing else.
 */

const startedAt = performance.now();
const progress = (line: string) => process.stderr.write(`[start] ${line}\n`);

async function startLocalAsterisk(config: Readonly<Config>, install: AsteriskInstallation): Promise<AsteriskInstance> {
  const asterisk = await createAsteriskInstance({
    install,
    name: 'main',
    baseRunDir: config.localAsterisk.runDir,
    httpPort: config.localAsterisk.httpPort,
    sipPort: config.localAsterisk.sipPort,
    rtpStart: config.localAsterisk.rtpStart,
    rtpEnd: config.localAsterisk.rtpEnd,
    ariApp: config.ariApp,
    sipBind: config.localAsterisk.sipBind,
    trunks: config.trunks,
    tlsPort: config.localAsterisk.sipTlsPort,
    // Only trunks over TLS need it (config.ts refuses a TLS trunk without TLS_CERT and TLS_KEY).
    ...(config.trunks.some((t) => t.transport === 'tls') && { tls: { certPath: config.tls.certPath!, keyPath: config.tls.keyPath! } }),
    log: progress,
  });
  await asterisk.start();
  progress(`Asterisk ready: SIP udp ${config.localAsterisk.sipBind}:${asterisk.sipPort} (trunks: ${config.trunks.map((t) => t.name).join(', ')}), ARI ${asterisk.ari.url}`);
  return asterisk;
}

/** Voices every fixed prompt before calls come in, so no caller waits for a synthesis (cached after the first start). */
async function presynthesize(audio: PromptAudio): Promise<void> {
  const started = performance.now();
  const prompts = languages.flatMap((lang) => [...staticPrompts(lang), ...fixedStarts(lang)]);
  await audio.prepare(prompts);
  progress(`${prompts.length} prompts ready (${audio.engineId}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // The database first: a start that must be refused (demo passwords on the network) is refused before Asterisk is provisioned.
  const db = openDatabase(config.dbPath);
  await migrateToLatest(db);
  await seedIfEmpty(db, config, progress);
  await refuseDemoPasswordsBeyondLoopback(db, config.host);
  if (await db.selectFrom('agents').select('id').where('role', '=', 'admin').where('active', '=', 1).executeTakeFirst() === undefined) {
    progress('no active admin yet: create one with `npm run admin -- create-admin --login NAME` (it prints a one-time password)');
  }
  let asterisk: AsteriskInstance | undefined;
  // Prompts are synthesized where the Asterisk that plays them can read them: inside our own
  // Asterisk's root; inside the root named by ASTERISK_ROOT for an external Asterisk running
  // chrooted on this host (the project's own, started by another process); otherwise into
  // PROMPTS_DIR, which that Asterisk must see at the same path.
  const install: AsteriskInstallation = config.externalAri === undefined
    ? await provisionAsterisk({ cacheDir: config.localAsterisk.cacheDir, log: progress })
    : config.asteriskRoot !== undefined ? { kind: 'chroot', root: config.asteriskRoot } : { kind: 'system', binary: '' };
  const ari: AriSettings = config.externalAri ?? (asterisk = await startLocalAsterisk(config, install)).ari;
  const audio = await PromptAudio.create({ install, log: progress, ...(install.kind === 'system' && { cacheDir: config.promptsDir }) });
  await presynthesize(audio);

  const log = pino({ level: config.logLevel });
  const menus = await MenuRegistry.load(defaultMenuDir, log);
  menus.watch();
  // HOURS_FILE (server/schedule/calendar.json by default): edited in place, reloaded while running.
  const hours = await WorkingHours.load(config.hoursFile, log);
  hours.watch();
  const telephony = new AriConnection({ ...ari, app: config.ariApp, log });
  // Agents' softphones reach Asterisk's SIP WebSocket through us (/sip), on the page's own origin.
  const tls = await loadTls({ certPath: config.tls.certPath, keyPath: config.tls.keyPath, host: config.host, dir: config.tls.dir, log: progress });
  const ui = await buildAgentUi({ minify: true });
  const speech = new SynthesizedSpeech(audio);
  const officeSentences = await prevoiceOffices(db, speech);
  const queueSentences = await prevoiceQueueWords(speech);
  progress(`${officeSentences} office and ${queueSentences} place-in-line sentences ready`);
  const { http } = await buildApp({
    config, db, telephony, log, speech, menus: () => menus.current(), ui, queueLogFile: config.queueLogPath, hours,
    asteriskHttpUrl: ari.url, ...(asterisk !== undefined && { asteriskObserver: asterisk }), ...(tls !== null && { https: { key: tls.key, cert: tls.cert } }),
  });
  await telephony.start(10_000);
  await http.listen({ host: config.host, port: config.port });
  http.log.info({ ms: Math.round(performance.now() - startedAt), ari: ari.url, ariConnected: telephony.connected }, 'server ready');
  progress(`agent softphone: ${tls === null ? 'http' : 'https'}://${config.host}:${config.port}/`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    http.log.info({ signal }, 'shutting down');
    menus.close();
    hours.close();
    await http.close();
    await telephony.close();
    await db.destroy();
    if (asterisk !== undefined) await asterisk.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${isAppError(err) ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.js';

/*
 * The server's TLS certificate. A browser gives the microphone only to a secure context (https,
 * or http on localhost), and an https page may only open wss:// — so an agent at their own desk
 * needs the server on https. TLS_CERT and TLS_KEY name a real certificate; without them, a
 * server listening on an address other than loopback makes a self-signed one for that address
 * and the machine's name under data/, reuses it on later starts, and says how to install a real
 * one. On loopback without them it stays plain http, as a secure context needs nothing more there.
 */

const run = promisify(execFile);

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** SHA-256 of the certificate (DER), colon-separated hex, as browsers show it */
  fingerprint: string;
  /** base64 SHA-256 of the public key (SPKI): what Chromium's --ignore-certificate-errors-spki-list takes */
  spkiSha256: string;
  selfSigned: boolean;
  validTo: Date;
}

export interface TlsOptions {
  /** PEM files of TLS_CERT and TLS_KEY, both or neither */
  certPath?: string | undefined;
  keyPath?: string | undefined;
  /** HOST: the address the server listens on */
  host: string;
  /** where a self-signed certificate is kept (data/tls) */
  dir: string;
  log: (line: string) => void;
  now?: Date;
}

const tlsError = (variable: string, message: string, details: Record<string, unknown> = {}, cause?: unknown) =>
  new AppError('CC_ERR_CONFIG_TLS', `${variable}: ${message}`, { variable, ...details }, cause === undefined ? undefined : { cause });

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The certificate to serve, or null for plain http (loopback without TLS_CERT). Throws
 * CC_ERR_CONFIG_TLS naming TLS_CERT or TLS_KEY for a file that cannot be read, a certificate that
 * does not parse or has expired, and a key that does not parse or does not match the certificate.
 */
export async function loadTls(opts: TlsOptions): Promise<TlsMaterial | null> {
  const now = opts.now ?? new Date();
  if (opts.certPath !== undefined || opts.keyPath !== undefined) {
    if (opts.certPath === undefined || opts.keyPath === undefined) {
      throw tlsError(opts.certPath === undefined ? 'TLS_CERT' : 'TLS_KEY', 'TLS_CERT and TLS_KEY go together: set both PEM files, or neither');
    }
    const cert = await readPem(opts.certPath, 'TLS_CERT');
    const key = await readPem(opts.keyPath, 'TLS_KEY');
    return material(cert, key, false, now);
  }
  if (isLoopback(opts.host)) return null;
  return selfSigned(opts, now);
}

async function readPem(path: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw tlsError(variable, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { path }, err);
  }
}

function material(cert: Buffer, key: Buffer, self: boolean, now: Date): TlsMaterial {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw tlsError('TLS_CERT', 'not a PEM certificate', {}, err);
  }
  const validTo = new Date(x509.validTo);
  if (validTo.getTime() <= now.getTime()) throw tlsError('TLS_CERT', `the certificate expired on ${validTo.toISOString()}`, { validTo: validTo.toISOString() });
  if (new Date(x509.validFrom).getTime() > now.getTime()) throw tlsError('TLS_CERT', `the certificate is not valid before ${new Date(x509.validFrom).toISOString()}`);
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw tlsError('TLS_KEY', 'not a PEM private key (an encrypted key is not supported)', {}, err);
  }
  if (!x509.checkPrivateKey(privateKey)) throw tlsError('TLS_KEY', 'the key does not match the certificate of TLS_CERT');
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return {
    key, cert, selfSigned: self, validTo,
    fingerprint: x509.fingerprint256,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
  };
}

/** The self-signed certificate for `host` under `dir`, made when missing, expiring or for another address. */
async function selfSigned(opts: TlsOptions, now: Date): Promise<TlsMaterial> {
  const certPath = join(opts.dir, 'server.crt');
  const keyPath = join(opts.dir, 'server.key');
  const names = [opts.host, hostname()].filter((n, i, all) => n !== '' && n !== '0.0.0.0' && n !== '::' && all.indexOf(n) === i);
  try {
    const existing = material(await readFile(certPath), await readFile(keyPath), true, now);
    const x509 = new X509Certificate(existing.cert);
    const month = 30 * 86_400_000;
    if (existing.validTo.getTime() - now.getTime() > month && names.every((n) => covers(x509, n))) {
      opts.log(`TLS: self-signed certificate ${certPath} (SHA-256 ${existing.fingerprint})`);
      return existing;
    }
  } catch {
    // Missing, unreadable or no longer right: made anew below.
  }
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const san = names.map((n) => (isIP(n) !== 0 ? `IP:${n}` : `DNS:${n}`)).join(',');
  const tmpCert = `${certPath}.tmp`;
  const tmpKey = `${keyPath}.tmp`;
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825',
      '-subj', `/CN=${names[0] ?? 'contact-center'}/O=contact-center (self-signed)`, '-addext', `subjectAltName=${san}`,
      '-keyout', tmpKey, '-out', tmpCert,
    ], { timeout: 30_000 });
  } catch (err) {
    await rm(tmpCert, { force: true });
    await rm(tmpKey, { force: true });
    throw new AppError('CC_ERR_CONFIG_TLS', `TLS_CERT: no certificate is set and a self-signed one could not be made with openssl (${(err as Error).message}); set TLS_CERT and TLS_KEY`, { variable: 'TLS_CERT' }, { cause: err });
  }
  await rename(tmpKey, keyPath);
  await rename(tmpCert, certPath);
  // Checked against the time after openssl ran: its notBefore is the second it ran in, which
  // may be later than `now` (a first start failed "not valid before" that way).
  const made = material(await readFile(certPath), await readFile(keyPath), true, new Date(Math.max(now.getTime(), Date.now())));
  opts.log(`TLS: made a self-signed certificate for ${names.join(', ')} in ${certPath}, SHA-256 ${made.fingerprint}`);
  opts.log('TLS: browsers will warn about it; to install a real one, set TLS_CERT and TLS_KEY to its PEM files and restart');
  return made;
}

function covers(x509: X509Certificate, name: string): boolean {
  return isIP(name) !== 0 ? x509.checkIP(name) !== undefined : x509.checkHost(name) !== undefined;
}

import { writeFileSync } from 'node:fs';
import { KEY_SLOT_MS, telephoneEventPcap, type KeyPress } from './rfc2833.js';

/**
 * One step of a scripted caller: press keys, pause, or hang up. `field` presses the key in CSV
 * column N of sipp's -inf file, so each call of a run can type its own number (SIP INFO keys only).
 */
export type CallerStep =
  | { keys: string }
  | { fields: number[] }
  | { pause: number }
  | { hangup: true }
  /** wait for the other side's BYE; with `orHangUp`, hang up ourselves when it does not come in time */
  | { waitBye: number; orHangUp?: boolean };

/**
 * How a caller's keys travel: `info`, each one a SIP INFO (application/dtmf-relay), 150 ms
 * apart; `rfc2833`, as telephone-events in the caller's RTP, the way real phones send them
 * (./rfc2833.ts): one pcap for the whole call, played once while the SIP part keeps time.
 */
export type KeyMode = 'info' | 'rfc2833';
export const KEY_MODES: readonly KeyMode[] = ['info', 'rfc2833'];

const KEY_GAP_MS = 150;
/** An RFC 2833 caller's RTP goes on this long after its last timed step (a wait for BYE counts in full, up to the cap). */
const AUDIO_TAIL_MS = 1000;
const AUDIO_MAX_MS = 180_000;

function info(signal: string): string {
  return `
  <send>
    <![CDATA[
      INFO sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: [cseq] INFO
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=${signal}
      Duration=160
    ]]>
  </send>
  <recv response="200"/>
  <pause milliseconds="${KEY_GAP_MS}"/>`;
}

const BYE = `
  <send retrans="500">
    <![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: [cseq] BYE
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" crlf="true"/>`;

function waitBye(ms: number): string {
  return `
  <recv request="BYE" timeout="${ms}"/>${waitByeAnswer}`;
}

const waitByeAnswer = `
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>`;

/**
 * Writes a sipp scenario for a caller that dials, sends audio and follows `steps`. With keys
 * `rfc2833` it also writes the call's RTP (audio and keys) to `<path without .xml>.pcap`;
 * such a caller cannot type `fields` (sipp loads a pcap once for all calls), which throws.
 */
export function writeCallerScenario(path: string, steps: CallerStep[], keys: KeyMode = 'info', headers: string[] = []): void {
  if (headers.some((h) => /[\r\n]/.test(h) || !/^[A-Za-z-]+: /.test(h))) throw new Error('each extra header is one "Name: value" line');
  const presses: KeyPress[] = [];
  let atMs = 0;
  const body = steps.map((s) => {
    if ('keys' in s) {
      if (keys === 'info') return [...s.keys].map((k) => info(k)).join('');
      for (const key of s.keys) { presses.push({ atMs, key }); atMs += KEY_SLOT_MS; }
      return `\n  <pause milliseconds="${s.keys.length * KEY_SLOT_MS}"/>`;
    }
    if ('fields' in s) {
      if (keys === 'rfc2833') throw new Error('an RFC 2833 caller cannot type -inf fields: one pcap serves every call of a run');
      return s.fields.map((f) => info(`[field${f}]`)).join('');
    }
    if ('pause' in s) { atMs += s.pause; return `\n  <pause milliseconds="${s.pause}"/>`; }
    if ('hangup' in s) return BYE;
    atMs += s.waitBye;
    if (s.orHangUp === true) {
      return `\n  <recv request="BYE" timeout="${s.waitBye}" ontimeout="give_up"/>${waitByeAnswer}\n  <nop next="done"/>\n  <label id="give_up"/>${BYE}\n  <label id="done"/>`;
    }
    return waitBye(s.waitBye);
  }).join('');
  let media = '/usr/share/sip-tester/g711a.pcap';
  if (keys === 'rfc2833') {
    media = path.replace(/(\.xml)?$/, '.pcap');
    writeFileSync(media, telephoneEventPcap(presses, Math.min(AUDIO_MAX_MS, atMs + AUDIO_TAIL_MS)));
  }
  writeFileSync(path, `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="scripted caller">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: [cseq] INVITE
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      Max-Forwards: 70${headers.map((h) => `\n      ${h}`).join('')}
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: [cseq] ACK
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <nop>
    <action>
      <exec play_pcap_audio="${media}"/>
    </action>
  </nop>${body}
</scenario>
`);
}

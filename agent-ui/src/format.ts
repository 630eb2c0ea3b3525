import type { Lang } from './i18n/index.js';

/*
 * Numbers, money and dates as the agent reads them. Money travels in kopecks (integers) and is
 * shown in roubles; days are 'YYYY-MM-DD' calendar days of Kaliningrad and shown as such,
 * never shifted by the browser's time zone.
 */

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'ru-RU');

export function rubles(kop: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'RUB', minimumFractionDigits: 2 }).format(kop / 100);
}

/** '2026-11-25' → '25.11.2026' (ru) or '25/11/2026' (en), without any time-zone shift. */
export function day(d: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (m === null) return d;
  return lang === 'en' ? `${m[3]}/${m[2]}/${m[1]}` : `${m[3]}.${m[2]}.${m[1]}`;
}

/** An instant in Kaliningrad time (UTC+2 all year), as day and minute. */
export function instant(iso: string, lang: Lang): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const k = new Date(t + 2 * 3600_000).toISOString();
  return `${day(k.slice(0, 10), lang)} ${k.slice(11, 16)}`;
}

/** '2026-03' → 'мар 2026' / 'Mar 2026' */
export function month(period: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m === null) return period;
  return new Intl.DateTimeFormat(locale(lang), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/** Seconds as m:ss (or h:mm:ss), for call and wait durations. */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function phone(e164: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  return m === null ? e164 : `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}`;
}

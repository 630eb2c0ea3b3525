import t, { type Test } from 'tap';
import { isAppError } from '../../server/errors.js';
import {
  APPEAL_CHANNELS, APPEAL_KINDS, APPEAL_STATUSES, appealKinds, appealNumber, appealStatuses, checkTransition, CONSULTATION_TOPICS,
  daysBetween, dueDate, kaliningradDay, numberingYear, type AppealKind, type AppealStatus,
} from '../../server/appeals/rules.js';

/** Noon in Kaliningrad (10:00Z) on `day`: well inside the calendar day. */
const noon = (day: string) => new Date(`${day}T10:00:00Z`);

const rejectsWith = (t: Test, fn: () => unknown, code: string, details: Record<string, unknown> = {}) => {
  try {
    fn();
    t.fail(`expected ${code}`);
  } catch (err) {
    t.ok(isAppError(err), String(err));
    if (isAppError(err)) {
      t.equal(err.code, code);
      t.match(err.details, details);
    }
  }
};

t.test('every kind of the standard is due its number of calendar days after the registration day', async (t) => {
  const expected: Record<AppealKind, string> = {
    paper: '2026-04-01', website: '2026-04-01', office_complaint: '2026-04-01',
    authority_request: '2026-03-17', outside_competence: '2026-03-09', illegible: '2026-03-09',
  };
  for (const kind of appealKinds) t.equal(dueDate(kind, noon('2026-03-02')), expected[kind], kind);
  t.same(Object.fromEntries(appealKinds.map((k) => [k, APPEAL_KINDS[k].days])), {
    paper: 30, website: 30, office_complaint: 30, authority_request: 15, outside_competence: 7, illegible: 7,
  });
});

t.test('a 30-day term from the 1st ends on the 31st: the count starts the day after registration', async (t) => {
  t.equal(dueDate('paper', noon('2026-01-01')), '2026-01-31');
  t.equal(dueDate('illegible', noon('2026-01-01')), '2026-01-08');
});

t.test('a term crossing a month end runs through the short month', async (t) => {
  t.equal(dueDate('paper', noon('2026-01-31')), '2026-03-02', 'February 2026 has 28 days');
  t.equal(dueDate('outside_competence', noon('2026-04-28')), '2026-05-05');
  t.equal(dueDate('authority_request', noon('2026-06-20')), '2026-07-05');
});

t.test('a term crossing a year end lands in the next year', async (t) => {
  t.equal(dueDate('paper', noon('2026-12-15')), '2027-01-14');
  t.equal(dueDate('illegible', noon('2026-12-28')), '2027-01-04');
  t.equal(dueDate('authority_request', noon('2026-12-31')), '2027-01-15');
});

t.test('February 29 counts in a leap year (2028) and does not exist in 2027', async (t) => {
  t.equal(dueDate('paper', noon('2028-01-31')), '2028-03-01');
  t.equal(dueDate('paper', noon('2027-01-31')), '2027-03-02');
  t.equal(dueDate('paper', noon('2028-02-10')), '2028-03-11');
  t.equal(dueDate('paper', noon('2027-02-10')), '2027-03-12');
  t.equal(dueDate('illegible', noon('2028-02-25')), '2028-03-03');
  t.equal(dueDate('illegible', noon('2027-02-25')), '2027-03-04');
  t.equal(dueDate('illegible', noon('2028-02-22')), '2028-02-29');
});

t.test('the registration day is Kaliningrad\'s (UTC+2): late evening UTC is already tomorrow there', async (t) => {
  t.equal(kaliningradDay(new Date('2026-12-31T22:30:00Z')), '2027-01-01');
  t.equal(dueDate('paper', new Date('2026-12-31T22:30:00Z')), '2027-01-31');
  t.equal(dueDate('paper', new Date('2026-12-31T21:59:59Z')), '2027-01-30', '23:59:59 in Kaliningrad is still December 31');
  t.equal(dueDate('paper', new Date('2026-12-31T22:00:00Z')), '2027-01-31', 'midnight in Kaliningrad starts the new day');
  t.equal(dueDate('illegible', new Date('2026-06-30T23:00:00Z')), '2026-07-08', 'no DST: summer is UTC+2 as well');
});

t.test('numbers are YY and a six-digit sequence of the Kaliningrad year', async (t) => {
  t.equal(appealNumber(2026, 42), '26000042');
  t.equal(appealNumber(2027, 1), '27000001');
  t.equal(appealNumber(2026, 999_999), '26999999');
  t.match(appealNumber(2030, 123456), /^\d{8}$/);
  t.equal(numberingYear(new Date('2026-12-31T22:30:00Z')), 2027);
  t.equal(numberingYear(new Date('2026-12-31T21:30:00Z')), 2026);
  rejectsWith(t, () => appealNumber(2026, 1_000_000), 'CC_ERR_APPEAL_NUMBERS_EXHAUSTED', { year: 2026 });
  t.throws(() => appealNumber(2026, 0), RangeError);
});

t.test('an authority\'s request is due on the date it sets, even if later than 15 days', async (t) => {
  t.equal(dueDate('authority_request', noon('2026-03-02'), '2026-03-10'), '2026-03-10');
  t.equal(dueDate('authority_request', noon('2026-03-02'), '2026-04-30'), '2026-04-30');
  t.equal(dueDate('authority_request', noon('2026-03-02'), '2026-03-02'), '2026-03-02', 'the registration day itself may be set');
  t.equal(dueDate('authority_request', noon('2026-03-02')), '2026-03-17', 'without a date: 15 days');
});

t.test('an authority date in the past is refused, Kaliningrad\'s day deciding what is past', async (t) => {
  rejectsWith(t, () => dueDate('authority_request', noon('2026-03-02'), '2026-03-01'), 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID',
    { field: 'authorityDueDate', problem: 'in_the_past' });
  // 22:30Z on Dec 31 is Jan 1 in Kaliningrad: Dec 31 is already yesterday.
  rejectsWith(t, () => dueDate('authority_request', new Date('2026-12-31T22:30:00Z'), '2026-12-31'), 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID',
    { problem: 'in_the_past' });
  t.equal(dueDate('authority_request', new Date('2026-12-31T21:30:00Z'), '2026-12-31'), '2026-12-31');
});

t.test('an authority date that is not a real day, or given for another kind, is refused', async (t) => {
  rejectsWith(t, () => dueDate('authority_request', noon('2027-01-10'), '2027-02-29'), 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID', { problem: 'not_a_date' });
  rejectsWith(t, () => dueDate('authority_request', noon('2027-01-10'), '10.02.2027'), 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID', { problem: 'not_a_date' });
  t.equal(dueDate('authority_request', noon('2028-01-10'), '2028-02-29'), '2028-02-29');
  for (const kind of appealKinds.filter((k) => k !== 'authority_request')) {
    rejectsWith(t, () => dueDate(kind, noon('2026-03-02'), '2026-03-20'), 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID', { problem: 'not_allowed_for_kind', kind });
  }
});

t.test('an appeal moves registered → in progress → answered → closed, may be answered at once, and never back', async (t) => {
  const legal: Array<[AppealStatus, AppealStatus]> = [
    ['registered', 'in_progress'], ['registered', 'answered'], ['in_progress', 'answered'], ['answered', 'closed'],
  ];
  for (const from of appealStatuses) {
    for (const to of appealStatuses) {
      if (from === to) t.equal(checkTransition(from, to), false, `${from} → ${from} changes nothing`);
      else if (legal.some(([a, b]) => a === from && b === to)) t.equal(checkTransition(from, to), true, `${from} → ${to}`);
      else rejectsWith(t, () => checkTransition(from, to), 'CC_ERR_APPEAL_INVALID_TRANSITION', { from, to });
    }
  }
});

t.test('the statuses are exactly the four the IVR has prompts for', async (t) => {
  t.same([...appealStatuses], ['registered', 'in_progress', 'answered', 'closed']);
});

t.test('every kind, channel, status and topic has a Russian and an English label', async (t) => {
  for (const catalogue of [APPEAL_KINDS, APPEAL_CHANNELS, APPEAL_STATUSES, CONSULTATION_TOPICS]) {
    for (const [id, label] of Object.entries(catalogue)) {
      t.match(label.ru, /[а-яё]/i, `${id} ru`);
      t.match(label.en, /^[A-Z]/, `${id} en`);
    }
  }
  t.same(Object.keys(APPEAL_CHANNELS), ['call_center', 'office', 'internet_reception', 'personal_account', 'post', 'email', 'vkontakte', 'telegram']);
  t.same(Object.keys(CONSULTATION_TOPICS), ['billing', 'payment', 'meter_readings', 'tariffs', 'outage', 'documents', 'personal_account', 'other']);
});

t.test('days between two calendar days are signed', async (t) => {
  t.equal(daysBetween('2026-12-30', '2027-01-02'), 3);
  t.equal(daysBetween('2027-01-02', '2026-12-30'), -3);
  t.equal(daysBetween('2028-02-28', '2028-03-01'), 2);
});

import t from 'tap';
import { LoginThrottle } from '../../server/auth/throttle.js';

const minutes = (m: number) => m * 60_000;

function throttle(maxKeys?: number) {
  let now = 0;
  const th = new LoginThrottle({ limit: 5, windowMs: minutes(5), clock: () => now, ...(maxKeys !== undefined && { maxKeys }) });
  return { th, advance: (ms: number) => { now += ms; } };
}

t.test('five attempts in five minutes pass, the sixth waits until the oldest leaves the window', async (t) => {
  const { th, advance } = throttle();
  for (let i = 0; i < 5; i++) {
    t.equal(th.begin('operator1'), 0);
    advance(minutes(0.5));
  }
  t.equal(th.begin('operator1'), minutes(2.5), 'the first attempt leaves the window in 2.5 minutes');
  advance(minutes(2.5));
  t.equal(th.begin('operator1'), 0, 'then one more may try');
  t.not(th.begin('operator1'), 0, 'and the window is full again');
});

t.test('a refused attempt does not extend the wait', async (t) => {
  const { th, advance } = throttle();
  for (let i = 0; i < 5; i++) th.begin('operator1');
  for (let i = 0; i < 10; i++) {
    advance(minutes(0.4));
    th.begin('operator1');
  }
  advance(minutes(1));
  t.equal(th.begin('operator1'), 0);
});

t.test('a success forgives the username; other usernames are counted apart', async (t) => {
  const { th } = throttle();
  for (let i = 0; i < 5; i++) th.begin('operator1');
  t.equal(th.begin('operator2'), 0);
  th.succeeded('operator1');
  t.equal(th.begin('operator1'), 0);
});

t.test('guesses over many usernames keep at most maxKeys of them, expired ones dropped first', async (t) => {
  const { th, advance } = throttle(3);
  for (let i = 0; i < 5; i++) th.begin('target');
  advance(minutes(1));
  for (const name of ['a', 'b', 'c', 'd']) th.begin(name);
  // 'target' was the oldest key: memory stays bounded, at the cost of forgetting it.
  t.equal(th.begin('target'), 0);
  advance(minutes(10));
  th.begin('e');
  t.equal(th.begin('e'), 0, 'new usernames are still counted');
});

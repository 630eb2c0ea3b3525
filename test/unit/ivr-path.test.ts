import t from 'tap';
import { ivrPathInWords } from '../../server/calls/ivr-path.js';

const steps = [
  { type: 'ivr_started', data: {} },
  { type: 'menu', data: { node: 'main' } },
  { type: 'flow_started', data: { flow: 'submit_reading' } },
  { type: 'number_entered', data: { flow: 'submit_reading', step: 'account', value: '123' } },
  { type: 'input_rejected', data: { reason: 'invalid_key', place: 'submit_reading.account', failures: 1 } },
  { type: 'operator_requested', data: { queue: 'general', from: 'submit_reading.account' } },
];

t.test('an agent reads in Russian that the caller tried to send a reading and the account was not found', async (t) => {
  t.same(ivrPathInWords(steps, 'ru'), [
    'Начал: передача показаний',
    'Ошибка ввода (передача показаний): лицевой счёт не найден',
    'Запросил оператора',
  ]);
});

t.test('the same path in English', async (t) => {
  t.same(ivrPathInWords(steps, 'en'), ['Started: meter reading', 'Input error (meter reading): account not found', 'Asked for an operator']);
});

t.test('a served caller\'s balance and reference menu are told; the main menu is not repeated', async (t) => {
  t.same(ivrPathInWords([
    { type: 'menu', data: { node: 'main' } }, { type: 'menu', data: { node: 'info' } }, { type: 'flow_started', data: { flow: 'balance' } },
    { type: 'balance_heard', data: { accountId: 1 } }, { type: 'appeal_status_heard', data: { appeal: '26000001' } },
  ], 'ru'), ['Меню: справочная информация', 'Начал: баланс', 'Прослушал баланс', 'Узнал статус обращения 26000001']);
});

t.test('the agent calling back reads that the caller booked the callback, after a mistyped number', async (t) => {
  t.same(ivrPathInWords([
    { type: 'operator_requested', data: { queue: 'general', from: 'main' } },
    { type: 'input_rejected', data: { reason: 'number_invalid', place: 'callback.enter', failures: 1 } },
    { type: 'callback_booked', data: { requestId: 4, mode: 'keep_place', dueAt: null } },
  ], 'ru'), ['Запросил оператора', 'Ошибка ввода (обратный звонок): номер телефона не распознан', 'Заказал обратный звонок']);
  t.same(ivrPathInWords([{ type: 'center_closed', data: { queue: 'general', opensAt: null } }], 'en'), ['Called outside working hours']);
});

t.test('the agent reads that a caller failed the account holder check, and that the call was ended for it', async (t) => {
  const check = [
    { type: 'flow_started', data: { flow: 'balance' } },
    { type: 'account_check_failed', data: { accountId: 1, check: 'phone', attempt: 1 } },
    { type: 'account_check_refused', data: { accountId: 1, check: 'phone', attempt: 3 } },
  ];
  t.same(ivrPathInWords(check, 'ru'), ['Начал: баланс', 'Неверный ответ на проверку владельца лицевого счёта', 'Три неверных ответа на проверку владельца — звонок завершён']);
  t.same(ivrPathInWords([{ type: 'account_check_unavailable', data: { accountId: 1 } }], 'en'), ['Balance of an unlinked account not given: no check possible']);
});

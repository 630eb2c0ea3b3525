/*
 * What a caller did in the IVR, in words an agent reads at a glance on the screen pop
 * ("Передавал показания: лицевой счёт не найден"). Built from the call's recorded steps.
 * Russian first, with an English catalogue beside it.
 */

export type PathLanguage = 'ru' | 'en';

interface Step { type: string; data: Record<string, unknown> }

const flows = {
  ru: { submit_reading: 'передача показаний', balance: 'баланс', appeal_status: 'статус обращения', callback: 'обратный звонок' },
  en: { submit_reading: 'meter reading', balance: 'balance', appeal_status: 'appeal status', callback: 'callback' },
} as const;

const nodes = {
  ru: { main: 'главное меню', info: 'справочная информация' },
  en: { main: 'main menu', info: 'reference information' },
} as const;

const rejects = {
  ru: { no_input: 'не выбрал пункт', invalid_key: 'неверная клавиша или номер', too_many_digits: 'слишком много цифр', number_invalid: 'номер телефона не распознан' },
  en: { no_input: 'no choice made', invalid_key: 'wrong key or number', too_many_digits: 'too many digits', number_invalid: 'phone number not recognised' },
} as const;

const words = {
  ru: {
    flow: (f: string) => `Начал: ${f}`,
    node: (n: string) => `Меню: ${n}`,
    rejected: (r: string, where: string) => `Ошибка ввода (${where}): ${r}`,
    accountNotFound: 'лицевой счёт не найден',
    readingStored: 'Показания переданы',
    balanceHeard: 'Прослушал баланс',
    appealHeard: (n: string) => `Узнал статус обращения ${n}`,
    operator: 'Запросил оператора',
    tooMany: 'Три ошибки подряд — переведён к оператору',
    language: (l: string) => `Язык: ${l}`,
    failed: 'Сервис был недоступен',
    surveyAnswered: (score: string) => `Оценил обслуживание: ${score} из 5`,
    surveyUnanswered: 'Не ответил на опрос о качестве',
    callbackBooked: 'Заказал обратный звонок',
    closed: 'Звонил в нерабочее время',
    checkFailed: 'Неверный ответ на проверку владельца лицевого счёта',
    checkRefused: 'Три неверных ответа на проверку владельца — звонок завершён',
    checkUnavailable: 'Баланс чужого лицевого счёта не сообщён: проверка невозможна',
  },
  en: {
    flow: (f: string) => `Started: ${f}`,
    node: (n: string) => `Menu: ${n}`,
    rejected: (r: string, where: string) => `Input error (${where}): ${r}`,
    accountNotFound: 'account not found',
    readingStored: 'Sent a meter reading',
    balanceHeard: 'Heard the balance',
    appealHeard: (n: string) => `Heard the status of appeal ${n}`,
    operator: 'Asked for an operator',
    tooMany: 'Three input errors — sent to an operator',
    language: (l: string) => `Language: ${l}`,
    failed: 'A service was unavailable',
    surveyAnswered: (score: string) => `Rated the service ${score} of 5`,
    surveyUnanswered: 'Did not answer the service survey',
    callbackBooked: 'Asked to be called back',
    closed: 'Called outside working hours',
    checkFailed: 'Wrong answer to the account holder check',
    checkRefused: 'Three wrong answers to the account holder check — call ended',
    checkUnavailable: 'Balance of an unlinked account not given: no check possible',
  },
} as const;

/** The caller's IVR steps as short sentences, oldest first; menu entries only when informative. */
export function ivrPathInWords(steps: Step[], lang: PathLanguage): string[] {
  const w = words[lang];
  const out: string[] = [];
  for (const { type, data } of steps) {
    switch (type) {
      case 'menu': {
        const node = String(data['node']);
        if (node !== 'main') out.push(w.node((nodes[lang] as Record<string, string>)[node] ?? node));
        break;
      }
      case 'flow_started':
        out.push(w.flow((flows[lang] as Record<string, string>)[String(data['flow'])] ?? String(data['flow'])));
        break;
      case 'input_rejected': {
        const where = String(data['place'] ?? '');
        const reason = where.endsWith('.account') && data['reason'] === 'invalid_key'
          ? w.accountNotFound
          : (rejects[lang] as Record<string, string>)[String(data['reason'])] ?? String(data['reason']);
        out.push(w.rejected(reason, describePlace(where, lang)));
        break;
      }
      case 'reading_stored': out.push(w.readingStored); break;
      case 'balance_heard': out.push(w.balanceHeard); break;
      case 'appeal_status_heard': out.push(w.appealHeard(String(data['appeal']))); break;
      case 'operator_requested': out.push(w.operator); break;
      case 'too_many_failures': out.push(w.tooMany); break;
      case 'language': out.push(w.language(String(data['language']))); break;
      case 'self_service_failed': out.push(w.failed); break;
      case 'survey_answered': out.push(w.surveyAnswered(String(data['score']))); break;
      case 'survey_unanswered': out.push(w.surveyUnanswered); break;
      case 'callback_booked': out.push(w.callbackBooked); break;
      case 'center_closed': out.push(w.closed); break;
      case 'account_check_failed': out.push(w.checkFailed); break;
      case 'account_check_refused': out.push(w.checkRefused); break;
      case 'account_check_unavailable': out.push(w.checkUnavailable); break;
      default: break;
    }
  }
  return out;
}

function describePlace(place: string, lang: PathLanguage): string {
  const [flow] = place.split('.');
  return (flows[lang] as Record<string, string>)[flow ?? ''] ?? (nodes[lang] as Record<string, string>)[place] ?? place;
}

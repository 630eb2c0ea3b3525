/*
 * The agent's page in Russian: the language operators work in. en.ts has the same shape (the
 * compiler checks it). Texts with numbers are functions, so Russian plural forms are right.
 */

/** Russian plural: 1 звонок, 2 звонка, 5 звонков (and 11–14 take the third form). */
export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

export const ru = {
  common: {
    retry: 'Повторить',
    cancel: 'Отмена',
    close: 'Закрыть',
    loading: 'Загрузка…',
    save: 'Сохранить',
    yes: 'Да',
    no: 'Нет',
    none: 'нет',
    networkError: 'Сервер недоступен. Проверьте сеть; страница повторит попытку сама.',
    error: (code: string, message: string) => `Ошибка ${code}: ${message}`,
    seconds: (n: number) => `${n} ${plural(n, 'секунда', 'секунды', 'секунд')}`,
    minutesSeconds: (m: number, s: number) => `${m} мин ${s} с`,
  },
  login: {
    title: 'Вход в рабочее место оператора',
    username: 'Имя пользователя',
    password: 'Пароль',
    submit: 'Войти',
    invalid: 'Неверное имя пользователя или пароль.',
    throttled: (s: number) => `Слишком много попыток. Повторите через ${s} с.`,
  },
  app: {
    title: 'Контакт-центр',
    logout: 'Выйти',
    language: 'Язык',
    otherTab: 'Рабочее место уже открыто в другой вкладке этого браузера. Чтобы не потерять звонки, работайте в одной вкладке.',
    takeOver: 'Работать в этой вкладке',
    liveLost: 'Связь с сервером потеряна — переподключение…',
    liveOk: 'На связи',
    supervisorHint: 'Вы вошли как супервизор.',
  },
  phone: {
    registration: {
      idle: 'Телефон выключен',
      connecting: 'Телефон подключается…',
      registered: 'Телефон готов',
      unregistered: 'Телефон не зарегистрирован — переподключение…',
      failed: 'Телефон не зарегистрирован',
    },
    micDenied: 'Нет доступа к микрофону. Разрешите его для этой страницы в настройках браузера (значок слева от адреса) и обновите страницу.',
    micMissing: 'Микрофон не найден. Подключите гарнитуру и обновите страницу.',
    registerFailed: (reason: string) => `Телефон не зарегистрирован: ${reason}. Сообщите администратору.`,
    incoming: 'Входящий звонок',
    outgoing: 'Исходящий звонок',
    ringing: 'Звонит',
    connecting: 'Соединение…',
    established: 'Разговор',
    answer: 'Ответить',
    decline: 'Отклонить',
    hangup: 'Завершить',
    hold: 'Удержание',
    unhold: 'Снять с удержания',
    mute: 'Выключить микрофон',
    unmute: 'Включить микрофон',
    keypad: 'Клавиатура',
    transfer: 'Перевести',
    transferTo: 'Перевести на',
    transferQueue: 'Очередь',
    transferAgent: 'Оператора',
    transferIvr: 'Голосовое меню',
    dial: 'Позвонить',
    dialNumber: 'Номер телефона',
    duration: 'Длительность',
    held: 'на удержании',
    muted: 'микрофон выключен',
  },
  status: {
    label: 'Статус',
    offline: 'Не в смене',
    available: 'Готов',
    ringing: 'Вызов',
    on_call: 'Разговор',
    wrap_up: 'Постобработка',
    paused: 'Перерыв',
    startShift: 'Начать смену',
    endShift: 'Завершить смену',
    goAvailable: 'Готов',
    pause: 'Пауза',
    ready: 'Готов',
    reasons: {
      break: 'Перерыв',
      training: 'Обучение',
      after_call_work: 'Доработка после звонка',
      missed: 'Пропущенный вызов',
      supervisor: 'Решение супервизора',
    },
    wrapUpLeft: (s: number) => `Постобработка: ещё ${s} с`,
    nextAfterWrapUp: 'После постобработки',
  },
  call: {
    caller: 'Звонит',
    queue: 'Очередь',
    waited: 'Ждал',
    ivrPath: 'В голосовом меню',
    noIvr: 'Сразу на оператора',
    unknownCaller: 'Номер не найден в базе — найдите клиента поиском.',
    severalAccounts: 'На этот номер несколько лицевых счетов — выберите:',
    hiddenNumber: 'номер скрыт',
  },
  search: {
    label: 'Поиск клиента',
    placeholder: 'Телефон, лицевой счёт, фамилия или адрес',
    submit: 'Найти',
    nothing: 'Ничего не найдено',
  },
  card: {},
  history: {},
  consultation: {},
  appeal: {},
};

/** The catalogue's shape: every language has the same keys and the same function signatures. */
type Widen<T> = T extends string ? string : T extends (...args: infer A) => string ? (...args: A) => string : { [K in keyof T]: Widen<T[K]> };
export type Messages = Widen<typeof ru>;

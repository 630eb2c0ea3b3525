import type { Random } from './random.js';

/*
 * Russian full names (фамилия, имя, отчество) with the gender agreement a Russian reader
 * expects: Смирнов Сергей Юрьевич / Смирнова Анна Юрьевна; Шевченко and Черных do not change.
 * Patronymics are listed rather than derived because the exceptions (Юрьевич, Ильич, Никитич,
 * Львович) are exactly the ones a reader notices.
 */

export type Gender = 'male' | 'female';

/** Surnames in the masculine form; Ukrainian and Belarusian ones are common in the region. */
const SURNAMES = [
  'Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров',
  'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев',
  'Орлов', 'Андреев', 'Макаров', 'Никитин', 'Захаров', 'Зайцев', 'Соловьёв', 'Борисов', 'Яковлев', 'Григорьев',
  'Романов', 'Воробьёв', 'Сергеев', 'Кузьмин', 'Фролов', 'Александров', 'Дмитриев', 'Королёв', 'Гусев', 'Киселёв',
  'Ильин', 'Максимов', 'Поляков', 'Сорокин', 'Виноградов', 'Ковалёв', 'Белов', 'Медведев', 'Антонов', 'Тарасов',
  'Жуков', 'Баранов', 'Филиппов', 'Комаров', 'Давыдов', 'Беляев', 'Герасимов', 'Богданов', 'Осипов', 'Сидоров',
  'Матвеев', 'Титов', 'Марков', 'Миронов', 'Крылов', 'Куликов', 'Карпов', 'Власов', 'Мельников', 'Денисов',
  'Гаврилов', 'Тихонов', 'Казаков', 'Афанасьев', 'Данилов', 'Савельев', 'Тимофеев', 'Фомин', 'Чернов', 'Абрамов',
  'Мартынов', 'Ефимов', 'Федотов', 'Щербаков', 'Назаров', 'Калинин', 'Исаев', 'Чернышёв', 'Быков', 'Маслов',
  'Родионов', 'Коновалов', 'Лазарев', 'Воронин', 'Климов', 'Филатов', 'Пономарёв', 'Голубев', 'Кудрявцев', 'Прохоров',
  'Ковалевский', 'Жуковский', 'Вишневский', 'Островский', 'Соколовский', 'Понятовский', 'Заречный', 'Толстой', 'Донской', 'Полевой',
  'Шевченко', 'Бондаренко', 'Ткаченко', 'Кравченко', 'Коваленко', 'Ковальчук', 'Мельник', 'Кравчук', 'Полищук', 'Савчук',
  'Черных', 'Седых', 'Белых', 'Бурых', 'Гуревич', 'Янкович', 'Литвинов', 'Рыбаков', 'Новак', 'Шульц',
];

/** [first name, patronymic of his son, patronymic of his daughter] */
const MEN: ReadonlyArray<readonly [string, string, string]> = [
  ['Александр', 'Александрович', 'Александровна'], ['Алексей', 'Алексеевич', 'Алексеевна'],
  ['Анатолий', 'Анатольевич', 'Анатольевна'], ['Андрей', 'Андреевич', 'Андреевна'],
  ['Антон', 'Антонович', 'Антоновна'], ['Аркадий', 'Аркадьевич', 'Аркадьевна'],
  ['Артём', 'Артёмович', 'Артёмовна'], ['Борис', 'Борисович', 'Борисовна'],
  ['Валерий', 'Валерьевич', 'Валерьевна'], ['Василий', 'Васильевич', 'Васильевна'],
  ['Виктор', 'Викторович', 'Викторовна'], ['Владимир', 'Владимирович', 'Владимировна'],
  ['Вячеслав', 'Вячеславович', 'Вячеславовна'], ['Геннадий', 'Геннадьевич', 'Геннадьевна'],
  ['Григорий', 'Григорьевич', 'Григорьевна'], ['Денис', 'Денисович', 'Денисовна'],
  ['Дмитрий', 'Дмитриевич', 'Дмитриевна'], ['Евгений', 'Евгеньевич', 'Евгеньевна'],
  ['Иван', 'Иванович', 'Ивановна'], ['Игорь', 'Игоревич', 'Игоревна'],
  ['Илья', 'Ильич', 'Ильинична'], ['Кирилл', 'Кириллович', 'Кирилловна'],
  ['Константин', 'Константинович', 'Константиновна'], ['Лев', 'Львович', 'Львовна'],
  ['Леонид', 'Леонидович', 'Леонидовна'], ['Максим', 'Максимович', 'Максимовна'],
  ['Михаил', 'Михайлович', 'Михайловна'], ['Никита', 'Никитич', 'Никитична'],
  ['Николай', 'Николаевич', 'Николаевна'], ['Олег', 'Олегович', 'Олеговна'],
  ['Павел', 'Павлович', 'Павловна'], ['Пётр', 'Петрович', 'Петровна'],
  ['Роман', 'Романович', 'Романовна'], ['Сергей', 'Сергеевич', 'Сергеевна'],
  ['Станислав', 'Станиславович', 'Станиславовна'], ['Степан', 'Степанович', 'Степановна'],
  ['Фёдор', 'Фёдорович', 'Фёдоровна'], ['Юрий', 'Юрьевич', 'Юрьевна'],
];

const WOMEN = [
  'Анна', 'Мария', 'Елена', 'Ольга', 'Татьяна', 'Наталья', 'Ирина', 'Светлана', 'Екатерина', 'Юлия',
  'Анастасия', 'Галина', 'Людмила', 'Валентина', 'Надежда', 'Марина', 'Оксана', 'Дарья', 'Ксения', 'Виктория',
  'Алина', 'Полина', 'Софья', 'Евгения', 'Любовь', 'Вера', 'Лариса', 'Нина', 'Тамара', 'Зоя',
];

/**
 * The feminine form of a masculine surname: Иванов → Иванова, Ильин → Ильина, Жуковский →
 * Жуковская, Толстой → Толстая, Заречный → Заречная; the rest (Шевченко, Черных, Ковальчук,
 * Гуревич, Шульц) are the same for women.
 */
export function feminineSurname(surname: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(surname)) return `${surname}а`;
  if (/(ский|цкий)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  if (/(ой|ый)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  return surname;
}

export interface PersonName {
  gender: Gender;
  lastName: string;
  firstName: string;
  /** null for the few customers whose documents carry no patronymic */
  middleName: string | null;
}

/** A random Russian full name; about 55 % of account holders are women. */
export function randomPerson(rng: Random): PersonName {
  const gender: Gender = rng.chance(0.55) ? 'female' : 'male';
  const surname = rng.pick(SURNAMES);
  const father = rng.pick(MEN);
  const noPatronymic = rng.chance(0.01);
  if (gender === 'male') {
    return { gender, lastName: surname, firstName: rng.pick(MEN)[0], middleName: noPatronymic ? null : father[1] };
  }
  return { gender, lastName: feminineSurname(surname), firstName: rng.pick(WOMEN), middleName: noPatronymic ? null : father[2] };
}

const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** Russian text in Latin letters (passport-style transliteration), lower case. */
export function transliterate(text: string): string {
  return [...text.toLowerCase()].map((ch) => LATIN[ch] ?? ch).join('');
}

const MAIL_DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru'];

/** A plausible personal e-mail address such as `smirnova.a1978@mail.ru`. */
export function randomEmail(rng: Random, person: PersonName): string {
  const suffix = rng.chance(0.6) ? String(rng.int(1950, 2004)) : String(rng.int(1, 999));
  return `${transliterate(person.lastName)}.${transliterate(person.firstName).slice(0, 1)}${suffix}@${rng.pick(MAIL_DOMAINS)}`;
}

import type { Random } from './random.js';

/*
 * Towns of the Kaliningrad region with real street names, their landline codes and roughly
 * their share of households. Kaliningrad itself has a 4-digit code and 6-digit numbers; the
 * district towns have 5-digit codes and 5-digit numbers, so every landline is +7 and 10 digits.
 */

export interface City {
  name: string;
  /** the long-distance code after +7 */
  phoneCode: string;
  /** weight in the customer base, about the number of households in thousands */
  weight: number;
  /** share of customers living in blocks of flats rather than houses */
  flats: number;
  streets: readonly string[];
}

export const CITIES: readonly City[] = [
  {
    name: 'Калининград', phoneCode: '4012', weight: 210, flats: 0.9,
    streets: [
      'Ленинский проспект', 'Московский проспект', 'Советский проспект', 'проспект Мира', 'проспект Победы',
      'ул. Александра Невского', 'ул. Черняховского', 'ул. Горького', 'ул. Фрунзе', 'ул. Гайдара', 'ул. Киевская',
      'ул. Батальная', 'ул. Космонавта Леонова', 'ул. Чайковского', 'ул. Театральная', 'ул. Профессора Севастьянова',
      'ул. Литовский Вал', 'ул. Гагарина', 'ул. Белинского', 'ул. Дзержинского', 'ул. Красная', 'ул. Тельмана',
      'ул. Генерала Челнокова', 'ул. Борзова', 'ул. Согласия', 'ул. Аллея Смелых', 'ул. Нарвская', 'ул. Ялтинская',
      'ул. Автомобильная', 'ул. 9 Апреля', 'ул. Кутузова', 'ул. Кирова', 'ул. Пролетарская', 'ул. Шиллера',
      'ул. Интернациональная', 'ул. Зоологическая', 'ул. Больничная', 'ул. Судостроительная', 'ул. Минская',
    ],
  },
  {
    name: 'Советск', phoneCode: '40161', weight: 17, flats: 0.75,
    streets: ['ул. Победы', 'ул. Гончарова', 'ул. Искры', 'ул. Калининградская', 'ул. Киевская', 'ул. Маяковского',
      'ул. Школьная', 'ул. Театральная', 'ул. Тургенева', 'ул. Александра Невского'],
  },
  {
    name: 'Черняховск', phoneCode: '40141', weight: 15, flats: 0.7,
    streets: ['ул. Калинина', 'ул. Ленина', 'ул. Пионерская', 'ул. Победы', 'ул. Советская', 'ул. Гагарина',
      'ул. Суворова', 'ул. Комсомольская', 'ул. Горького'],
  },
  {
    name: 'Балтийск', phoneCode: '40145', weight: 13, flats: 0.85,
    streets: ['ул. Гоголя', 'ул. Чехова', 'ул. Садовая', 'ул. Л. Толстого', 'ул. Красной Армии', 'ул. Егерская',
      'ул. Пушкина', 'Морской бульвар'],
  },
  {
    name: 'Гусев', phoneCode: '40143', weight: 11, flats: 0.65,
    streets: ['ул. Ленина', 'ул. Московская', 'ул. Победы', 'ул. Красноармейская', 'ул. Зелёная', 'ул. Молодёжная',
      'ул. Менделеева'],
  },
  {
    name: 'Гурьевск', phoneCode: '40151', weight: 9, flats: 0.5,
    streets: ['ул. Ленина', 'ул. Лесная', 'ул. Загородная', 'ул. Каштановая', 'ул. Пионерская', 'Калининградское шоссе'],
  },
  {
    name: 'Светлогорск', phoneCode: '40153', weight: 7, flats: 0.6,
    streets: ['Калининградский проспект', 'ул. Октябрьская', 'ул. Пионерская', 'ул. Ленина', 'ул. Гагарина',
      'ул. Новая', 'ул. Яблоневая'],
  },
  {
    name: 'Зеленоградск', phoneCode: '40150', weight: 7, flats: 0.55,
    streets: ['ул. Ленина', 'Курортный проспект', 'ул. Московская', 'ул. Тургенева', 'ул. Окружная',
      'ул. Лермонтова', 'ул. Потёмкина'],
  },
  {
    name: 'Пионерский', phoneCode: '40155', weight: 5, flats: 0.7,
    streets: ['ул. Комсомольская', 'ул. Рабочая', 'ул. Шаманова', 'ул. Гептнера', 'ул. Армейская', 'ул. Флотская'],
  },
  {
    name: 'Неман', phoneCode: '40162', weight: 5, flats: 0.6,
    streets: ['ул. Советская', 'ул. Победы', 'ул. Гагарина', 'ул. Черняховского', 'ул. Калининградская', 'ул. Луговая'],
  },
];

const BY_WEIGHT = CITIES.map((c) => [c, c.weight] as const);
const SEASIDE = CITIES.filter((c) => c.name === 'Зеленоградск' || c.name === 'Светлогорск' || c.name === 'Пионерский');

/** A town, as likely as its share of households. */
export function randomCity(rng: Random): City {
  return rng.weighted(BY_WEIGHT);
}

/** A town for a second account (a summer house): usually by the sea or near the first one. */
export function randomSecondCity(rng: Random, home: City): City {
  return rng.chance(0.5) ? rng.pick(SEASIDE) : rng.chance(0.5) ? home : randomCity(rng);
}

export interface Address {
  /** street, house and flat, without the town: `ул. Горького, д. 12, кв. 34` */
  text: string;
  /** a house rather than a flat: consumes more, often heated electrically */
  house: boolean;
}

/** A street address in `city`: a flat (by the town's share of flats) or a house, always a house when `forceHouse`. */
export function randomAddress(rng: Random, city: City, forceHouse = false): Address {
  const street = rng.pick(city.streets);
  const house = forceHouse || !rng.chance(city.flats);
  let number = String(house ? rng.int(1, 120) : rng.int(1, 180));
  if (rng.chance(0.08)) number += rng.pick(['А', 'Б', 'В']);
  else if (!house && rng.chance(0.06)) number += `, к. ${rng.int(1, 3)}`;
  return { text: house ? `${street}, д. ${number}` : `${street}, д. ${number}, кв. ${rng.int(1, 240)}`, house };
}

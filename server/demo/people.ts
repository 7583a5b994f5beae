// The committee of the demo: both national delegations (a head and two members each), a secretariat of
// two (one from each country), an administrator and two registered manufacturers.
import type { Role } from '../users/index.js';

/** One password for every demo account: long enough for the policy (12+) and not a common one. */
export const DEMO_PASSWORD = 'Accord-demo-2026';

export interface DemoPerson {
  role: Role;
  delegation?: 'BY' | 'RU';
  name: string;
  email: string;
  organisation?: string;
  /** What to try when signed in as this person. */
  tryThis: string;
}

export const demoPeople: readonly DemoPerson[] = [
  { role: 'administrator', name: 'Ковалёв Андрей Николаевич', email: 'admin@accord.example', organisation: 'Секретариат Комитета', tryThis: 'accounts, delegations, product groups' },
  { role: 'secretariat', name: 'Лебедева Ирина Сергеевна', email: 'secretariat.ru@accord.example', organisation: 'Секретариат Комитета (Москва)', tryThis: 'edit drafts, circulate, compare revisions' },
  { role: 'secretariat', name: 'Жук Татьяна Михайловна', email: 'secretariat.by@accord.example', organisation: 'Секретариат Комитета (Минск)', tryThis: 'edit drafts, circulate, compare revisions' },
  { role: 'head', delegation: 'BY', name: 'Мацкевич Сергей Иванович', email: 'head.by@accord.example', organisation: 'Госстандарт Республики Беларусь', tryThis: 'read drafts as head of the BY delegation' },
  { role: 'member', delegation: 'BY', name: 'Гриневич Алеся Петровна', email: 'member1.by@accord.example', organisation: 'БелГИСС', tryThis: 'read drafts as a BY member' },
  { role: 'member', delegation: 'BY', name: 'Козловский Дмитрий Александрович', email: 'member2.by@accord.example', organisation: 'ОАО «Белстанкопроект»', tryThis: 'read drafts as a BY member' },
  { role: 'head', delegation: 'RU', name: 'Воронцов Алексей Михайлович', email: 'head.ru@accord.example', organisation: 'Росстандарт', tryThis: 'read drafts as head of the RU delegation' },
  { role: 'member', delegation: 'RU', name: 'Смирнова Екатерина Андреевна', email: 'member1.ru@accord.example', organisation: 'Институт стандартизации', tryThis: 'read drafts as an RU member' },
  { role: 'member', delegation: 'RU', name: 'Орлов Павел Игоревич', email: 'member2.ru@accord.example', organisation: 'АО «НИИ станкостроения»', tryThis: 'read drafts as an RU member' },
  { role: 'manufacturer', name: 'Якубович Виктор Станиславович', email: 'manufacturer.by@accord.example', organisation: 'ОАО «Полесьестанкомаш», Гомель', tryThis: 'the public catalogue: no drafts visible' },
  { role: 'manufacturer', name: 'Белова Наталья Викторовна', email: 'manufacturer.ru@accord.example', organisation: 'ООО «Северо-Западная микроэлектроника», Санкт-Петербург', tryThis: 'the public catalogue: no drafts visible' },
];

/**
 * The US federal holidays (5 U.S.C. 6103(a)) by id, named in each language the portal speaks: the pickup calendar
 * (web `holidays.*`) and the server's messages (namespace `holidays`) spread these same tables, so a name is
 * written once. English is delivery-days.ts's own (it imports nothing, for the browser bundle); a server message
 * that quotes the English name is translated back through it.
 */
import { HOLIDAY_ENGLISH_NAMES, HOLIDAY_IDS, type HolidayId } from './delivery-days';

type HolidayNames = Record<HolidayId, string> & { observed: string };

export const HOLIDAY_NAMES_EN: HolidayNames = {
  ...HOLIDAY_ENGLISH_NAMES,
  /** a fixed-date holiday moved off a weekend */
  observed: '{{name}} (observed)',
};

// USA.gov en español's names of the federal holidays.
export const HOLIDAY_NAMES_ES: HolidayNames = {
  new_years_day: 'Día de Año Nuevo',
  martin_luther_king_day: 'Día de Martin Luther King Jr.',
  washingtons_birthday: 'Natalicio de Washington',
  memorial_day: 'Día de los Caídos',
  juneteenth: 'Día de la Emancipación (Juneteenth)',
  independence_day: 'Día de la Independencia',
  labor_day: 'Día del Trabajo',
  columbus_day: 'Día de la Hispanidad (Columbus Day)',
  veterans_day: 'Día de los Veteranos',
  thanksgiving_day: 'Día de Acción de Gracias',
  christmas_day: 'Día de Navidad',
  observed: '{{name}} (día de descanso)',
};

export const HOLIDAY_NAMES_ZH_HANS: HolidayNames = {
  new_years_day: '元旦',
  martin_luther_king_day: '马丁·路德·金纪念日',
  washingtons_birthday: '华盛顿诞辰纪念日',
  memorial_day: '阵亡将士纪念日',
  juneteenth: '六月节（奴隶解放日）',
  independence_day: '独立日',
  labor_day: '劳动节',
  columbus_day: '哥伦布日',
  veterans_day: '退伍军人节',
  thanksgiving_day: '感恩节',
  christmas_day: '圣诞节',
  observed: '{{name}}（调休）',
};

const ID_OF_ENGLISH = new Map(HOLIDAY_IDS.map((id) => [HOLIDAY_ENGLISH_NAMES[id], id]));
const OBSERVED_SUFFIX = ' (observed)';

/** The holiday an English name written by delivery-days.ts stands for (`Christmas Day (observed)` too). */
export function holidayOfEnglishName(name: string): { id: HolidayId; observed: boolean } | undefined {
  const observed = name.endsWith(OBSERVED_SUFFIX);
  const id = ID_OF_ENGLISH.get(observed ? name.slice(0, -OBSERVED_SUFFIX.length) : name);
  return id ? { id, observed } : undefined;
}

// Calendar arithmetic in IANA time zones with nothing but Intl: local dates as
// "YYYY-MM-DD" strings, instants as epoch milliseconds. DST-safe because every
// conversion asks Intl for the offset at the instant in question.

export type LocalDate = string; // YYYY-MM-DD
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The canonical form of a BCP 47 locale that dates can be written in ("en-gb" →
 * "en-GB"), or null: "en_GB" is not a tag, and a tag the platform has no date
 * formats for would silently fall back to another language.
 */
export function canonicalLocale(locale: string): string | null {
  if (typeof locale !== "string" || locale.length === 0 || locale.length > 35) return null;
  try {
    const [tag] = Intl.getCanonicalLocales(locale);
    return tag && Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 1 ? tag : null;
  } catch {
    return null;
  }
}

/** The wall-clock fields of an instant in a zone. */
export function zonedParts(instant: number, timeZone: string): ZonedParts {
  const local = new Date(instant + offsetMinutes(instant, timeZone) * 60_000);
  const year = local.getUTCFullYear(), month = local.getUTCMonth() + 1, day = local.getUTCDate();
  return {
    year,
    month,
    day,
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: (local.getUTCDay() === 0 ? 7 : local.getUTCDay()) as Weekday,
  };
}

/** Asks Intl for the wall clock at an instant: exact, and slow enough to be worth caching. */
function intlParts(instant: number, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  for (const p of parts) {
    switch (p.type) {
      case "year": year = Number(p.value); break;
      case "month": month = Number(p.value); break;
      case "day": day = Number(p.value); break;
      case "hour": hour = Number(p.value) % 24; break;
      case "minute": minute = Number(p.value); break;
      case "second": second = Number(p.value); break;
    }
  }
  return { year, month, day, hour, minute, second };
}

export function toLocalDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function parseLocalDate(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const { year, month, day } = parseLocalDate(value);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The calendar date of an instant in a zone. */
export function localDateOf(instant: number, timeZone: string): LocalDate {
  const p = zonedParts(instant, timeZone);
  return toLocalDate(p.year, p.month, p.day);
}

function utcDays(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

function fromUtcDays(days: number): LocalDate {
  const d = new Date(days * 86_400_000);
  return toLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return fromUtcDays(utcDays(date) + n);
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return utcDays(b) - utcDays(a);
}

export function weekdayOf(date: LocalDate): Weekday {
  const js = new Date(utcDays(date) * 86_400_000).getUTCDay(); // 0 = Sunday
  return (js === 0 ? 7 : js) as Weekday;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function lastDayOfMonth(date: LocalDate): LocalDate {
  const { year, month } = parseLocalDate(date);
  return toLocalDate(year, month, daysInMonth(year, month));
}

// Zone offsets change only at transitions, which fall on quarter hours; one
// Intl lookup serves every instant in the same quarter hour.
const QUARTER_HOUR = 900_000;
const offsets = new Map<string, Map<number, number>>();

function intlOffset(instant: number, timeZone: string): number {
  const p = intlParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** Offset of the zone from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const bucket = Math.floor(instant / QUARTER_HOUR);
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(bucket);
  if (offset === undefined) {
    offset = intlOffset(bucket * QUARTER_HOUR, timeZone);
    // A transition inside the quarter hour (historic zones only): don't cache it.
    if (intlOffset(bucket * QUARTER_HOUR + QUARTER_HOUR - 1000, timeZone) !== offset) return intlOffset(instant, timeZone);
    if (zone.size > 50_000) zone.clear();
    zone.set(bucket, offset);
  }
  return offset;
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` `hour:minute`.
 * In a DST gap (a time that does not exist) it gives the instant just after the
 * gap; in an overlap, the earlier of the two.
 */
export function zonedTimeToInstant(date: LocalDate, hour: number, minute: number, timeZone: string): number {
  const { year, month, day } = parseLocalDate(date);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets in force a day either side cover every transition near this
  // wall time, whatever its size; a guess is right when the zone shows the wall time there.
  const before = wall - offsetMinutes(wall - 86_400_000, timeZone) * 60_000;
  const after = wall - offsetMinutes(wall + 86_400_000, timeZone) * 60_000;
  const shows = (at: number) => at + offsetMinutes(at, timeZone) * 60_000 === wall;
  const candidates = [before, after].filter(shows);
  // In an overlap the wall time happens twice: the earlier one.
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap it never happens: the instant just after the gap.
  return Math.max(before, after);
}

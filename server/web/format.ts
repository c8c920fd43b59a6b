// Dates, durations and names as the dashboard shows them, in the user's zone and locale.
import { daysBetween, localDateOf, parseLocalDate, type LocalDate } from "../../core/time";
import type { Counterpart } from "../../core/model";

function utcOf(date: LocalDate): Date {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

function fmt(locale: string, opts: Intl.DateTimeFormatOptions, d: Date): string {
  try {
    return new Intl.DateTimeFormat(locale, opts).format(d);
  } catch {
    return new Intl.DateTimeFormat("en-GB", opts).format(d);
  }
}

/** "Fri 2 Oct", with the year when it isn't this year's. */
export function shortDate(date: LocalDate, today: LocalDate, locale: string): string {
  const withYear = date.slice(0, 4) !== today.slice(0, 4);
  return fmt(locale, { weekday: "short", day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}), timeZone: "UTC" }, utcOf(date));
}

/** "5 Oct": for chart axes. */
export function dayMonth(date: LocalDate, locale: string): string {
  return fmt(locale, { day: "numeric", month: "short", timeZone: "UTC" }, utcOf(date));
}

/** "Fri 2 Oct, 15:40" in the user's zone. */
export function dateTime(instant: number, today: LocalDate, timeZone: string, locale: string): string {
  const day = shortDate(localDateOf(instant, timeZone), today, locale);
  const time = fmt(locale, { hour: "2-digit", minute: "2-digit", timeZone }, new Date(instant));
  return `${day}, ${time}`;
}

/** "today", "yesterday", "3 days ago", "5 weeks ago", or the future equivalents. */
export function relativeDays(date: LocalDate, today: LocalDate): string {
  const n = daysBetween(date, today);
  if (n === 0) return "today";
  if (n === 1) return "yesterday";
  if (n === -1) return "tomorrow";
  const abs = Math.abs(n);
  const span = abs < 14 ? `${abs} days` : abs < 60 ? `${Math.round(abs / 7)} weeks` : `${Math.round(abs / 30)} months`;
  return n > 0 ? `${span} ago` : `in ${span}`;
}

/** "3 days", "1 day", "2 weeks": how long something has been late. */
export function span(days: number): string {
  if (days < 14) return `${days} day${days === 1 ? "" : "s"}`;
  if (days < 60) return `${Math.round(days / 7)} weeks`;
  return `${Math.round(days / 30)} months`;
}

/** A median in hours, as a person would say it: "5 hours", "2.5 days". */
export function hoursAsWords(hours: number | null): string {
  if (hours === null) return "—";
  if (hours < 1) return "under an hour";
  if (hours < 36) return `${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  const days = hours / 24;
  return `${days < 10 ? Math.round(days * 10) / 10 : Math.round(days)} days`;
}

export function percent(rate: number | null): string {
  return rate === null ? "—" : `${Math.round(rate * 100)}%`;
}

export function displayName(c: Counterpart): string {
  return c.name?.trim() || c.address;
}

/** Up to two initials for the avatar. */
export function initials(c: Counterpart): string {
  const name = c.name?.trim();
  if (name) {
    const words = (name.includes(",") ? name.split(",").reverse().join(" ") : name).split(/\s+/).filter(Boolean);
    return ((words[0]?.[0] ?? "") + (words.length > 1 ? (words[words.length - 1]![0] ?? "") : "")).toUpperCase();
  }
  return (c.address[0] ?? "?").toUpperCase();
}

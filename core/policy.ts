// Where reminders go: the first follow-up at the start of the user's working day
// on the due date, later ones on an escalating working-day schedule, a chase
// brought forward to the next working moment, check-ins some days out.
import type { WorkSettings } from "./model";
import { KeptError } from "./errors";
import {
  addDays,
  canonicalLocale,
  isValidTimeZone,
  localDateOf,
  weekdayOf,
  zonedTimeToInstant,
  type LocalDate,
} from "./time";

const MINUTE = 60_000;

export function parseClock(hhmm: string): { hour: number; minute: number } {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new KeptError("bad_request", `"${hhmm}" is not a time of day; write it as HH:MM, for example 09:00.`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** Checks settings once, so the functions below can trust them. */
export function validateSettings(s: WorkSettings): WorkSettings {
  if (!isValidTimeZone(s.timeZone))
    throw new KeptError("bad_request", `"${s.timeZone}" is not an IANA time zone; use a name such as Europe/London.`);
  const locale = canonicalLocale(s.locale);
  if (!locale) throw new KeptError("bad_request", `"${s.locale}" is not a locale Kept can write dates in; use a tag such as en-GB, en-US or fr-FR.`);
  const days = [...new Set(s.workDays)].sort();
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    throw new KeptError("bad_request", "workDays must list at least one ISO weekday, 1 (Monday) to 7 (Sunday).");
  const start = parseClock(s.dayStart);
  const end = parseClock(s.dayEnd);
  if (end.hour * 60 + end.minute <= start.hour * 60 + start.minute + s.eventMinutes)
    throw new KeptError("bad_request", `dayEnd (${s.dayEnd}) must come after dayStart (${s.dayStart}) with room for one event.`);
  if (s.escalationWorkingDays.length === 0 || s.escalationWorkingDays.some((n) => !Number.isInteger(n) || n < 1 || n > 20))
    throw new KeptError("bad_request", "escalationWorkingDays must be whole numbers of working days from 1 to 20.");
  return { ...s, locale, workDays: days };
}

export function isWorkDay(date: LocalDate, s: WorkSettings): boolean {
  return s.workDays.includes(weekdayOf(date));
}

/** The first working day on or after `date`. */
export function workDayOnOrAfter(date: LocalDate, s: WorkSettings): LocalDate {
  let d = date;
  for (let i = 0; i < 7 && !isWorkDay(d, s); i++) d = addDays(d, 1);
  return d;
}

/** The working day `n` working days after `date` (n >= 1). */
export function addWorkingDays(date: LocalDate, n: number, s: WorkSettings): LocalDate {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkDay(d, s)) left--;
  }
  return d;
}

export function dayStartAt(date: LocalDate, s: WorkSettings): number {
  const { hour, minute } = parseClock(s.dayStart);
  return zonedTimeToInstant(date, hour, minute, s.timeZone);
}

export function dayEndAt(date: LocalDate, s: WorkSettings): number {
  const { hour, minute } = parseClock(s.dayEnd);
  return zonedTimeToInstant(date, hour, minute, s.timeZone);
}

export interface FirstReminder {
  at: number;
  /** The due date to record: the stated one, or the default the policy chose. */
  dueDate: LocalDate;
}

/**
 * The first follow-up for a promise sent at `sentAt`. A stated date that falls
 * on a day off is reminded on the last working day before it (never before the
 * send day), so the user can still keep it; a promise due the same day is
 * reminded an hour before the end of the working day.
 */
export function firstReminder(sentAt: number, statedDue: LocalDate | null, s: WorkSettings): FirstReminder {
  const sendDate = localDateOf(sentAt, s.timeZone);
  if (statedDue === null) {
    const due = addWorkingDays(sendDate, s.defaultDelayWorkingDays, s);
    return { at: dayStartAt(due, s), dueDate: due };
  }
  let target = statedDue < sendDate ? sendDate : statedDue;
  if (!isWorkDay(target, s)) {
    let back = target;
    while (back > sendDate && !isWorkDay(back, s)) back = addDays(back, -1);
    target = isWorkDay(back, s) ? back : workDayOnOrAfter(target, s);
  }
  const start = dayStartAt(target, s);
  if (start > sentAt) return { at: start, dueDate: statedDue };
  const lateSlot = dayEndAt(target, s) - 60 * MINUTE;
  if (lateSlot >= sentAt + 30 * MINUTE) return { at: lateSlot, dueDate: statedDue };
  return { at: dayStartAt(addWorkingDays(target, 1, s), s), dueDate: statedDue };
}

/**
 * The follow-up after the `count`th one (count >= 1), which was at `previousAt`.
 * Always later than `now`, even when the sweep runs late.
 */
export function nextReminder(previousAt: number, count: number, now: number, s: WorkSettings): number {
  const gaps = s.escalationWorkingDays;
  const gap = gaps[Math.min(Math.max(count, 1) - 1, gaps.length - 1)]!;
  let date = addWorkingDays(localDateOf(previousAt, s.timeZone), gap, s);
  // Months behind (an old import, a long outage): every working day before today
  // has started already, so start from today instead of stepping through them.
  const today = localDateOf(now, s.timeZone);
  if (date < today) date = workDayOnOrAfter(today, s);
  let at = dayStartAt(date, s);
  while (at <= now) {
    date = addWorkingDays(date, 1, s);
    at = dayStartAt(date, s);
  }
  return at;
}

/** The next working moment after `now`, on a quarter hour, for a chased promise. */
export function soonestWorkingMoment(now: number, s: WorkSettings): number {
  const today = localDateOf(now, s.timeZone);
  if (isWorkDay(today, s)) {
    const start = dayStartAt(today, s);
    if (now < start) return start;
    const quarter = 15 * MINUTE;
    const slot = Math.ceil((now + quarter) / quarter) * quarter;
    if (slot + s.eventMinutes * MINUTE <= dayEndAt(today, s)) return slot;
  }
  return dayStartAt(addWorkingDays(today, 1, s), s);
}

/** When a chase should bring the next follow-up: never later than it already is. */
export function chasedReminder(now: number, current: number | null, s: WorkSettings): number {
  const soon = soonestWorkingMoment(now, s);
  return current !== null && current > now && current < soon ? current : soon;
}

export type SnoozePreset = "later-today" | "tomorrow" | "in-3-days" | "next-week";

export function snoozeUntil(now: number, preset: SnoozePreset, s: WorkSettings): number {
  const today = localDateOf(now, s.timeZone);
  switch (preset) {
    case "later-today": {
      const later = now + 3 * 60 * MINUTE;
      return later + s.eventMinutes * MINUTE <= dayEndAt(today, s) ? later : dayStartAt(addWorkingDays(today, 1, s), s);
    }
    case "tomorrow":
      return dayStartAt(addWorkingDays(today, 1, s), s);
    case "in-3-days":
      return dayStartAt(addWorkingDays(today, 3, s), s);
    case "next-week": {
      const toMonday = 8 - weekdayOf(today);
      return dayStartAt(workDayOnOrAfter(addDays(today, toMonday), s), s);
    }
  }
}

/**
 * Where a follow-up planned for `at` under the `before` settings goes when the
 * user changes their zone, working days or hours: the same local date (the next
 * working day if that is now a day off), as far into the working day as it was
 * (no later than the last slot an event fits in), in the new zone; never in the past.
 */
export function movedReminder(at: number, before: WorkSettings, after: WorkSettings, now: number): number {
  const date = localDateOf(at, before.timeZone);
  const into = Math.max(0, at - dayStartAt(date, before));
  const day = workDayOnOrAfter(date, after);
  const start = dayStartAt(day, after);
  const moved = Math.max(start, Math.min(start + into, dayEndAt(day, after) - after.eventMinutes * MINUTE));
  return moved > now ? moved : soonestWorkingMoment(now, after);
}

/** True when a change of settings moves when follow-ups happen. */
export function timingChanged(before: WorkSettings, after: WorkSettings): boolean {
  return (
    before.timeZone !== after.timeZone ||
    before.dayStart !== after.dayStart ||
    before.dayEnd !== after.dayEnd ||
    before.eventMinutes !== after.eventMinutes ||
    before.workDays.join() !== after.workDays.join()
  );
}

/** A check-in `days` calendar days from now, on a working day at the start of the day. */
export function checkInAt(now: number, days: number, s: WorkSettings): { at: number; date: LocalDate } {
  const date = workDayOnOrAfter(addDays(localDateOf(now, s.timeZone), days), s);
  return { at: dayStartAt(date, s), date };
}

/** True when the promise is past its due date in the user's zone. */
export function isOverdue(dueDate: LocalDate, now: number, s: WorkSettings): boolean {
  return localDateOf(now, s.timeZone) > dueDate;
}

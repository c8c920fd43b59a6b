// The due-date grammar: finds date phrases in a tokenised sentence and resolves
// them against the local sending day, following the table in
// shared/spec/promise-detection.md. chrono-node is only a fallback for absolute
// dates this grammar does not know (see fallbackDate).

import { casual as chronoUS, GB as chronoGB } from "chrono-node/en";
import {
  addDays, daysInMonth, lastDayOfMonth, parseLocalDate, toLocalDate, weekdayOf,
  type LocalDate, type Weekday,
} from "../time";
import type { Tokenized } from "./tokens";
import { tokenAt } from "./tokens";

export interface DateHit {
  /** First and last token (inclusive) of the date phrase proper. */
  from: number;
  to: number;
  /** First token including a leading preposition ("by", "on", "until" …). */
  phraseFrom: number;
  /** The preposition right before the phrase, if any. */
  prep: string | null;
  date: LocalDate;
  /** A bare clock time ("by 3pm"): used only when nothing better is in scope. */
  clock: boolean;
}

const WD_FULL: Record<string, Weekday> = {
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};
const WD_ABBR: Record<string, Weekday> = {
  mon: 1, tue: 2, tues: 2, wed: 3, weds: 3, thu: 4, thur: 4, thurs: 4, fri: 5, sat: 6, sun: 7,
};
const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8,
  september: 9, october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fourteen: 14, fifteen: 15, twenty: 20, thirty: 30,
  "a couple of": 2, "couple of": 2, "a couple": 2, couple: 2, "a few": 3, few: 3, "a day or two": 2,
};
const PREPS = new Set([
  "by", "on", "before", "until", "till", "til", "at", "in", "within", "over", "for", "from", "around",
  "latest", "sometime", "during", "than", "no", "later", "after", "next", "the",
]);

const WD = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri|sat|sun)";
const MON = "(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)";
const NUM = "(?:\\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|a couple of|couple of|a few|few)";
const ORD = "(\\d{1,2})(?:st|nd|rd|th)?";
const DAYPART = "(?: (?:morning|afternoon|evening|night|lunchtime|lunch|am|pm|eod|cob|latest|at the latest))?";
const EOD = "(?:end of (?:the |to|business |play |my |the working |the business )?day|eod|cob|eob|e\\.o\\.d|c\\.o\\.b|close of (?:business|play)|end of (?:play|business)|eop|cop)";

type Resolve = (m: RegExpExecArray, send: LocalDate, ctx: Ctx) => LocalDate | null;
interface Ctx { dayFirst: boolean; tk: Tokenized; prevToken: string | null }
interface Rule { re: RegExp; resolve: Resolve; clock?: boolean; hint: RegExp }

const B = "(?<![^ ])"; // token start
const E = "(?![^ ])"; // token end
/** `hint`: a cheap test the sentence must pass before the rule's regex runs. */
const rule = (hint: RegExp, src: string, resolve: Resolve, clock = false): Rule => ({ re: new RegExp(`${B}(?:${src})${E}`, "g"), resolve, clock, hint });
const H_MONTH = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/;
const H_DIGIT = /\d/;
const H_WEEKDAY = /mon|tue|wed|thu|fri|sat|sun/;
const H_TODAY = /today|tonight|eod|cob|eob|eop|cop|close|end of|afternoon|evening|morning|lunch|hour|minute|mins|hrs/;
/** Nothing that could start a date phrase: skip the whole grammar. */
const ANY_DATE = /\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|day|week|month|year|tomorrow|tonight|eod|cob|eob|eow|eom|eoy|eop|cop|close|end|hour|noon|midday|fortnight|weekend|morning|afternoon|evening|lunch|minute|mins|hrs|arvo/;

function nextWeekday(send: LocalDate, wd: number): LocalDate {
  const k = (wd - weekdayOf(send) + 7) % 7;
  return addDays(send, k === 0 ? 7 : k);
}
/** Day `wd` (1 = Monday) of the week `weeks` after the sending week. */
function weekDay(send: LocalDate, weeks: number, wd: number): LocalDate {
  return addDays(send, weeks * 7 + wd - weekdayOf(send));
}
function workingDays(send: LocalDate, n: number): LocalDate {
  let d = send;
  let left = Math.max(0, Math.min(n, 1000));
  while (left > 0) {
    d = addDays(d, 1);
    if (weekdayOf(d) <= 5) left--;
  }
  return d;
}
function monthShift(send: LocalDate, months: number): { year: number; month: number } {
  const { year, month } = parseLocalDate(send);
  const idx = year * 12 + (month - 1) + months;
  return { year: Math.floor(idx / 12), month: (idx % 12) + 1 };
}
function validDate(year: number, month: number, day: number): LocalDate | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return toLocalDate(year, month, day);
}
/** The date with this month and day on or after the sending day. */
function nextMonthDay(send: LocalDate, month: number, day: number, year?: number): LocalDate | null {
  if (year !== undefined) return validDate(year < 100 ? 2000 + year : year, month, day);
  const y = parseLocalDate(send).year;
  for (let k = 0; k < 8; k++) {
    const d = validDate(y + k, month, day);
    if (d && d >= send) return d;
  }
  return null;
}
/** The next date with this day of the month, on or after the sending day. */
function nextDayOfMonth(send: LocalDate, day: number): LocalDate | null {
  for (let k = 0; k < 3; k++) {
    const { year, month } = monthShift(send, k);
    const d = validDate(year, month, day);
    if (d && d >= send) return d;
  }
  return null;
}
function count(word: string): number {
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBERS[word] ?? NaN;
}
function weekdayOfWord(w: string): number {
  return WD_FULL[w] ?? WD_ABBR[w] ?? 0;
}

const RULES: Rule[] = [
  // explicit dates: "Friday 11 December", "3rd of December 2026", "December 3rd", "Dec 3, 2026"
  rule(H_MONTH, `(?:${WD}(?: ,)? )?(?:the )?${ORD}(?: of)? (${MON})(?: ,)?(?: (\\d{4}))?`, (m, send) =>
    nextMonthDay(send, MONTHS[m[2]], Number(m[1]), m[3] ? Number(m[3]) : undefined)),
  rule(H_MONTH, `(?:${WD}(?: ,)? )?(${MON})(?: \\.)? (?:the )?${ORD}(?: ,)?(?: (\\d{4}))?`, (m, send) =>
    nextMonthDay(send, MONTHS[m[1]], Number(m[2]), m[3] ? Number(m[3]) : undefined)),
  // a weekday with an ordinal day: "Thursday the 12th" takes the date
  rule(H_WEEKDAY, `${WD}(?: ,)? (?:the )?(\\d{1,2})(?:st|nd|rd|th)`, (m, send) => nextDayOfMonth(send, Number(m[1]))),
  // numeric: 12/03, 1/8, 04/12/2026 (order by locale); dotted 15.05. (day first)
  rule(/\//, `(?:${WD}(?: ,)? )?(\\d{1,2})/(\\d{1,2})(?:/(\\d{2}|\\d{4}))?`, (m, send, ctx) => {
    const a = Number(m[1]), b = Number(m[2]);
    const [day, month] = ctx.dayFirst ? [a, b] : [b, a];
    const year = m[3] ? Number(m[3]) : undefined;
    // where the locale's order gives no date, the other order may ("15/12" in en-US)
    return nextMonthDay(send, month, day, year) ?? (month > 12 ? nextMonthDay(send, day, month, year) : null);
  }),
  rule(/\d{4}-/, `(\\d{4})-(\\d{2})-(\\d{2})`, (m) => validDate(Number(m[1]), Number(m[2]), Number(m[3]))),
  rule(/\d\.\d/, `(?:${WD}(?: ,)? )?(\\d{1,2})\\.(\\d{1,2})(?:\\.(\\d{2}|\\d{4}))?(?= \\.|\\.|$| [^ ]*[a-z])`, (m, send) =>
    nextMonthDay(send, Number(m[2]), Number(m[1]), m[3] ? Number(m[3]) : undefined)),
  // month periods: "end of the month", "next month", "early next month"
  rule(/month|eom/, `(?:the )?(?:end of (?:the |this )?month|month ?end|month-end|eom|end of month|later this month)`, (_m, send) => lastDayOfMonth(send)),
  rule(/month/, `(?:early|the beginning of|beginning of|the start of|start of|early in) next month`, (_m, send) => {
    const { year, month } = monthShift(send, 1);
    return toLocalDate(year, month, 7);
  }),
  rule(/month/, `(?:mid|mid-|middle of) next month`, (_m, send) => {
    const { year, month } = monthShift(send, 1);
    return toLocalDate(year, month, 15);
  }),
  rule(/month/, `(?:the )?(?:end of |later )?next month`, (_m, send) => {
    const { year, month } = monthShift(send, 1);
    return toLocalDate(year, month, daysInMonth(year, month));
  }),
  // named month: "end of May", "early January", "mid-March", "in January"
  rule(H_MONTH, `(?:the )?(end of|early|beginning of|start of|the start of|the beginning of|mid|mid-|middle of|in|by|before|until|till) (${MON})`, (m, send) => {
    const month = MONTHS[m[2]];
    const { year: y0, month: m0 } = parseLocalDate(send);
    const year = month < m0 ? y0 + 1 : y0;
    const how = m[1];
    if (how === "end of" || how === "in") return toLocalDate(year, month, daysInMonth(year, month));
    if (how === "mid" || how === "mid-" || how === "middle of") return toLocalDate(year, month, 15);
    if (how === "by" || how === "before" || how === "until" || how === "till") {
      return month === m0 ? toLocalDate(year + 1, month, 1) : toLocalDate(year, month, 1);
    }
    return toLocalDate(year, month, 7);
  }),
  rule(/year|eoy/, `(?:the )?(?:end of (?:the |this )?year|year ?end|year-end|eoy)`, (_m, send) => `${send.slice(0, 4)}-12-31`),
  // days of the week
  rule(/week/, `(?:the )?week after next`, (_m, send) => weekDay(send, 2, 5)),
  rule(/week/, `(?:(?:the )?(?:end of |later |late |by )?next week|next week sometime|sometime next week)`, (_m, send) => weekDay(send, 1, 5)),
  rule(/week/, `(?:early|the beginning of|beginning of|the start of|start of|first thing|early in) next week`, (_m, send) => weekDay(send, 1, 1)),
  rule(/week/, `(?:mid|mid-|middle of|the middle of|midweek) next week`, (_m, send) => weekDay(send, 1, 3)),
  rule(/midweek/, `midweek`, (_m, send) => nextWeekday(send, 3)),
  rule(/weekend/, `after the weekend`, (_m, send) => nextWeekday(send, 1)),
  rule(/week|eow/, `(?:(?:the )?end of (?:the |this )?(?:working )?week|end of week|eow|this week|later this week|later in the week|(?:by|before) the weekend)`, (_m, send) => weekDay(send, 0, 5)),
  rule(/weekend/, `(?:over |this |at the )weekend`, (_m, send) => weekDay(send, 0, 7)),
  rule(/weekend/, `next weekend`, (_m, send) => weekDay(send, 1, 7)),
  rule(/week/, `a week (?:on|from) (${WD})`, (m, send) => addDays(nextWeekday(send, weekdayOfWord(m[1])), 7)),
  rule(H_WEEKDAY, `(?:first thing |(?:${EOD}) (?:on )?)?(?:(this|next|this coming|coming) )?(${WD})(?: (week))?${DAYPART}`, (m, send, ctx) => {
    const wd = weekdayOfWord(m[2]);
    if (!wd) return null;
    if (!(m[2] in WD_FULL) && !m[1]) {
      // "sat", "sun", "wed" … only read as days where the context says so
      const prev = ctx.prevToken;
      if (!prev || !["by", "on", "until", "till", "before", "from", "and", "or", ",", "latest", "next", "this", "eod", "cob"].includes(prev)) return null;
    }
    const d = nextWeekday(send, wd);
    return m[3] ? addDays(d, 7) : d;
  }),
  // today and tomorrow
  rule(/tomorrow/, `(?:the )?day after tomorrow`, (_m, send) => addDays(send, 2)),
  rule(/tomorrow|morning/, `(?:(?:first thing|${EOD}|lunchtime|the morning|the afternoon|close) )?(?:on )?tomorrow${DAYPART}|first thing in the morning`, (_m, send) => addDays(send, 1)),
  rule(H_TODAY, `${EOD}(?: today)?|(?:later |sometime |some time |by the end of )?today|tonight|this (?:afternoon|evening|morning)|later on today|lunchtime|end of today|within the hour|(?:in|within) the next hour|in (?:an|a few|a couple of|${NUM}) (?:hours?|hrs?|minutes?|mins?)`, (_m, send) => send),
  // counted days and weeks
  rule(/day/, `(?:in|within|over|over the next|in the next|within the next|the next) (?:(\\d{1,3})-)?(${NUM}) (working|business) days?`, (m, send) => {
    const n = count(m[2]);
    return Number.isFinite(n) ? workingDays(send, n) : null;
  }),
  rule(/day/, `(${NUM}) (working|business) days?`, (m, send) => {
    const n = count(m[1]);
    return Number.isFinite(n) ? workingDays(send, n) : null;
  }),
  rule(/day/, `(?:in|within|over|over the next|in the next|within the next|give me) (?:a day or two|a day or so|(?:(\\d{1,3})-)?(${NUM}) days?|the next (?:few|couple of) days|couple days)`, (m, send) => {
    const t = m[0];
    if (/day or two/.test(t)) return addDays(send, 2);
    if (/day or so/.test(t)) return addDays(send, 1);
    if (/couple days|couple of days/.test(t) && !m[2]) return addDays(send, 2);
    if (/few days/.test(t) && !m[2]) return addDays(send, 3);
    const n = count(m[2]);
    return Number.isFinite(n) ? addDays(send, n) : null;
  }),
  rule(/day/, `(?:a|the next) day or two`, (_m, send) => addDays(send, 2)),
  rule(/day/, `(?:in|within|over) (?:a|the next) day or so`, (_m, send) => addDays(send, 1)),
  rule(/day/, `(?:in|over) the (?:coming|next) (?:few )?days`, (_m, send) => addDays(send, 3)),
  rule(/hour|hr/, `(?:in|within|over the next|in the next|within the next) (${NUM}) (?:hours?|hrs?)`, (m, send) => {
    const n = count(m[1]);
    return Number.isFinite(n) ? addDays(send, Math.floor(n / 24)) : null;
  }),
  rule(/week|fortnight/, `(?:in|within|over the next|in the next|within the next) (?:a fortnight|a week or two|(${NUM}) weeks?|a week'?s time|a week 's time)`, (m, send) => {
    const t = m[0];
    if (/fortnight|week or two/.test(t)) return addDays(send, 14);
    if (!m[1]) return addDays(send, 7);
    const n = count(m[1]);
    return Number.isFinite(n) ? addDays(send, 7 * Math.min(n, 520)) : null;
  }),
  rule(/month/, `(?:in|within) (?:a|one|1) month(?:'s time| 's time)?`, (_m, send) => {
    const { day } = parseLocalDate(send);
    const { year, month } = monthShift(send, 1);
    return toLocalDate(year, month, Math.min(day, daysInMonth(year, month)));
  }),
  // "on the 5th", "by the 14th"
  rule(/\d(?:st|nd|rd|th)/, `(?:the )${ORD}`, (m, send, ctx) => {
    if (!/(?:st|nd|rd|th)$/.test(m[0])) return null;
    return nextDayOfMonth(send, Number(m[1]));
  }),
  rule(/\d(?:st|nd|rd|th)/, `(\\d{1,2})(?:st|nd|rd|th)`, (m, send, ctx) => {
    const prev = ctx.prevToken;
    if (!prev || !["by", "on", "before", "until", "till"].includes(prev)) return null;
    return nextDayOfMonth(send, Number(m[1]));
  }),
  // a bare clock time: the sending day
  rule(/\d|noon|midday/, `(?:noon|midday|(?:\\d{1,2}(?::\\d{2})?(?: ?(?:am|pm|a\\.m|p\\.m))|\\d{1,2}:\\d{2}))`, (m, _send, ctx) => {
    const prev = ctx.prevToken;
    if (!prev || !["by", "at", "before", "around", "until", "till", "for"].includes(prev)) return null;
    return _send;
  }, true),
];

// Several rules share a hint: each distinct hint is tested once per sentence.
const HINTS: RegExp[] = [];
const RULE_HINT: number[] = RULES.map((r) => {
  let k = HINTS.findIndex((h) => h.source === r.hint.source && h.flags === r.hint.flags);
  if (k < 0) {
    k = HINTS.length;
    HINTS.push(r.hint);
  }
  return k;
});
/** Per distinct hint for the sentence at hand: 0 not yet tested, 1 passed, 2 failed. */
const hintState = new Uint8Array(HINTS.length);

/** All date phrases in a sentence, left to right, without overlaps (longest wins). */
export function findDates(tk: Tokenized, send: LocalDate, dayFirst: boolean): DateHit[] {
  const found: DateHit[] = [];
  const { norm, tokens } = tk;
  if (norm.length === 0 || !ANY_DATE.test(norm)) return found;
  hintState.fill(0);
  for (let ri = 0; ri < RULES.length; ri++) {
    const r = RULES[ri];
    const h = RULE_HINT[ri];
    let st = hintState[h];
    if (st === 0) {
      st = HINTS[h].test(norm) ? 1 : 2;
      hintState[h] = st;
    }
    if (st === 2) continue;
    r.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = r.re.exec(norm)) !== null) {
      if (m[0].length === 0) { r.re.lastIndex++; continue; }
      const from = tokenAt(tk, m.index);
      const to = tokenAt(tk, m.index + m[0].length - 1);
      const prevToken = from > 0 ? tokens[from - 1].n : null;
      let date: LocalDate | null = null;
      try {
        date = r.resolve(m, send, { dayFirst, tk, prevToken });
      } catch {
        date = null;
      }
      if (!date) continue;
      // the phrase includes up to two leading prepositions ("no later than", "by"); the nearest one decides bounds
      let phraseFrom = from;
      while (phraseFrom > 0 && from - phraseFrom < 2 && PREPS.has(tokens[phraseFrom - 1].n) && tokens[phraseFrom - 1].n !== "the") phraseFrom--;
      let prep = phraseFrom < from ? tokens[from - 1].n : null;
      if (prep === "than" && from > 1 && tokens[from - 2].n === "later") prep = "by";
      found.push({ from, to, phraseFrom, prep, date, clock: r.clock === true });
    }
  }
  // keep the longest of overlapping hits, then order by position
  found.sort((a, b) => (b.to - b.from) - (a.to - a.from) || a.from - b.from);
  const kept: DateHit[] = [];
  for (const h of found) {
    if (kept.some((k) => h.from <= k.to && k.from <= h.to)) continue;
    kept.push(h);
  }
  kept.sort((a, b) => a.from - b.from);
  return kept;
}

const MONTH_OR_DIGIT = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;
const CHRONO_FALSE = /^(?:sat|sun|march|may|second|a second|now|mon|wed)$/i;

/**
 * chrono-node, only for an absolute day and month this grammar missed
 * ("December the 3rd", "3rd Dec."). Returns the first certain day.
 */
export function fallbackDate(text: string, send: LocalDate, dayFirst: boolean): { date: LocalDate; index: number; text: string } | null {
  if (text.length > 400 || !MONTH_OR_DIGIT.test(text)) return null;
  const { year, month, day } = parseLocalDate(send);
  const ref = { instant: new Date(Date.UTC(year, month - 1, day, 12)), timezone: 0 };
  let results;
  try {
    results = (dayFirst ? chronoGB : chronoUS).parse(text, ref, { forwardDate: true });
  } catch {
    return null;
  }
  for (const r of results) {
    if (CHRONO_FALSE.test(r.text.trim())) continue;
    if (!r.start.isCertain("day") || !r.start.isCertain("month")) continue;
    const d = validDate(r.start.get("year") ?? year, r.start.get("month") ?? 0, r.start.get("day") ?? 0);
    if (d && d >= send) return { date: d, index: r.index, text: r.text };
  }
  return null;
}

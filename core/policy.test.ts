import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type WorkSettings } from "./model";
import {
  movedReminder,
  timingChanged,
  addWorkingDays,
  chasedReminder,
  checkInAt,
  firstReminder,
  nextReminder,
  snoozeUntil,
  soonestWorkingMoment,
  validateSettings,
} from "./policy";
import { zonedTimeToInstant, localDateOf } from "./time";

const london: WorkSettings = { ...DEFAULT_SETTINGS, timeZone: "Europe/London" };
const newYork: WorkSettings = { ...DEFAULT_SETTINGS, timeZone: "America/New_York", locale: "en-US" };
const dubai: WorkSettings = { ...DEFAULT_SETTINGS, timeZone: "Asia/Dubai", workDays: [1, 2, 3, 4, 5] };
const sunThu: WorkSettings = { ...DEFAULT_SETTINGS, timeZone: "Asia/Jerusalem", workDays: [7, 1, 2, 3, 4] };

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe("firstReminder", () => {
  const cases: Array<[string, WorkSettings, string, string | null, string, string]> = [
    // name, settings, sentAt, stated due, expected reminder (UTC), expected due
    ["stated Friday, London winter", london, "2026-11-18T10:15:00Z", "2026-11-20", "2026-11-20T09:00:00.000Z", "2026-11-20"],
    ["stated date in BST", london, "2026-06-01T10:00:00Z", "2026-06-03", "2026-06-03T08:00:00.000Z", "2026-06-03"],
    ["due across the spring DST change", london, "2026-03-27T10:00:00Z", "2026-03-30", "2026-03-30T08:00:00.000Z", "2026-03-30"],
    ["due across the autumn DST change", newYork, "2026-10-30T14:00:00Z", "2026-11-02", "2026-11-02T14:00:00.000Z", "2026-11-02"],
    ["due Saturday: reminded on Friday", london, "2026-11-18T10:00:00Z", "2026-11-21", "2026-11-20T09:00:00.000Z", "2026-11-21"],
    ["due Sunday sent Saturday: next Monday", london, "2026-11-21T10:00:00Z", "2026-11-22", "2026-11-23T09:00:00.000Z", "2026-11-22"],
    ["due today, sent mid-morning: an hour before day end", london, "2026-11-18T10:00:00Z", "2026-11-18", "2026-11-18T16:30:00.000Z", "2026-11-18"],
    ["due today, sent late: next working morning", london, "2026-11-20T16:45:00Z", "2026-11-20", "2026-11-23T09:00:00.000Z", "2026-11-20"],
    ["no date: two working days later", london, "2026-11-19T15:00:00Z", null, "2026-11-23T09:00:00.000Z", "2026-11-23"],
    ["no date, sent Saturday: Tuesday", london, "2026-11-21T15:00:00Z", null, "2026-11-24T09:00:00.000Z", "2026-11-24"],
    ["no date, Sunday-Thursday week", sunThu, "2026-11-19T10:00:00Z", null, "2026-11-23T07:00:00.000Z", "2026-11-23"],
    ["local date ahead of UTC date", dubai, "2026-11-19T22:00:00Z", "2026-11-20", "2026-11-20T05:00:00.000Z", "2026-11-20"],
    ["stated date already past: treated as today", london, "2026-11-18T08:00:00Z", "2026-11-10", "2026-11-18T09:00:00.000Z", "2026-11-10"],
  ];
  it.each(cases)("%s", (_name, s, sentAt, due, expectedAt, expectedDue) => {
    const r = firstReminder(at(sentAt), due, s);
    expect(iso(r.at)).toBe(expectedAt);
    expect(r.dueDate).toBe(expectedDue);
  });
});

describe("nextReminder escalates 1, 2, then 5 working days", () => {
  it("walks the schedule and caps at weekly", () => {
    let previous = at("2026-11-20T09:00:00Z"); // Friday
    const seen: string[] = [];
    for (let count = 1; count <= 5; count++) {
      const next = nextReminder(previous, count, previous, london);
      seen.push(localDateOf(next, london.timeZone));
      previous = next;
    }
    expect(seen).toEqual(["2026-11-23", "2026-11-25", "2026-12-02", "2026-12-09", "2026-12-16"]);
  });

  it("never lands in the past when the sweep runs late", () => {
    const previous = at("2026-11-02T09:00:00Z");
    const now = at("2026-11-18T12:00:00Z");
    const next = nextReminder(previous, 1, now, london);
    expect(next).toBeGreaterThan(now);
    expect(iso(next)).toBe("2026-11-19T09:00:00.000Z");
  });

  it("from months behind, lands where stepping one working day at a time would", () => {
    const stepping = (previousAt: number, count: number, now: number, s: WorkSettings) => {
      const gap = s.escalationWorkingDays[Math.min(count, s.escalationWorkingDays.length) - 1]!;
      let date = addWorkingDays(localDateOf(previousAt, s.timeZone), gap, s);
      while (zonedTimeToInstant(date, Number(s.dayStart.slice(0, 2)), Number(s.dayStart.slice(3)), s.timeZone) <= now) date = addWorkingDays(date, 1, s);
      return zonedTimeToInstant(date, Number(s.dayStart.slice(0, 2)), Number(s.dayStart.slice(3)), s.timeZone);
    };
    const now0 = at("2026-11-18T12:00:00Z");
    for (const s of [london, newYork, dubai, sunThu]) {
      for (let back = 0; back <= 400; back += 7) {
        for (const hour of [0, 5, 9, 13, 21]) {
          const previous = now0 - back * 86_400_000 - hour * 3_600_000;
          for (const now of [now0, now0 + hour * 3_600_000]) {
            for (const count of [1, 2, 3]) expect(iso(nextReminder(previous, count, now, s)), `${s.timeZone} ${back}d ${hour}h #${count}`).toBe(iso(stepping(previous, count, now, s)));
          }
        }
      }
    }
  });
});

describe("chase brings the next follow-up forward", () => {
  it("within working hours: the next quarter hour after a quarter hour's grace", () => {
    expect(iso(soonestWorkingMoment(at("2026-11-18T10:07:00Z"), london))).toBe("2026-11-18T10:30:00.000Z");
  });
  it("after hours: the start of the next working day", () => {
    expect(iso(soonestWorkingMoment(at("2026-11-20T18:00:00Z"), london))).toBe("2026-11-23T09:00:00.000Z");
  });
  it("before the day starts: that morning", () => {
    expect(iso(soonestWorkingMoment(at("2026-11-18T06:00:00Z"), london))).toBe("2026-11-18T09:00:00.000Z");
  });
  it("keeps an earlier reminder that is already sooner", () => {
    const current = at("2026-11-18T10:15:00Z");
    expect(chasedReminder(at("2026-11-18T10:07:00Z"), current, london)).toBe(current);
  });
  it("replaces a later one", () => {
    expect(iso(chasedReminder(at("2026-11-18T10:07:00Z"), at("2026-11-25T09:00:00Z"), london))).toBe("2026-11-18T10:30:00.000Z");
  });
});

describe("snooze presets and check-ins", () => {
  const now = at("2026-11-18T10:00:00Z"); // Wednesday
  it.each([
    ["later-today", "2026-11-18T13:00:00.000Z"],
    ["tomorrow", "2026-11-19T09:00:00.000Z"],
    ["in-3-days", "2026-11-23T09:00:00.000Z"],
    ["next-week", "2026-11-23T09:00:00.000Z"],
  ] as const)("%s", (preset, expected) => {
    expect(iso(snoozeUntil(now, preset, london))).toBe(expected);
  });
  it("a 90-day check-in lands on a working day morning", () => {
    const r = checkInAt(now, 90, london); // 16 Feb 2027 is a Tuesday
    expect(r.date).toBe("2027-02-16");
    expect(iso(r.at)).toBe("2027-02-16T09:00:00.000Z");
  });
  it("a check-in that falls on a weekend moves to Monday", () => {
    expect(checkInAt(now, 3, london).date).toBe("2026-11-23");
  });
});

describe("working days and settings", () => {
  it("counts working days over a weekend", () => {
    expect(addWorkingDays("2026-11-20", 1, london)).toBe("2026-11-23");
    expect(addWorkingDays("2026-11-20", 6, london)).toBe("2026-11-30");
  });
  it("rejects a bad zone and bad hours with a message that says what to write", () => {
    expect(() => validateSettings({ ...london, timeZone: "Mars/Olympus" })).toThrow(/IANA time zone/);
    expect(() => validateSettings({ ...london, dayStart: "9am" })).toThrow(/HH:MM/);
    expect(() => validateSettings({ ...london, dayStart: "18:00" })).toThrow(/dayEnd/);
    expect(() => validateSettings({ ...london, workDays: [] })).toThrow(/workDays/);
    expect(() => validateSettings({ ...london, locale: "en_GB" })).toThrow(/such as en-GB/);
    expect(() => validateSettings({ ...london, locale: "" })).toThrow(/locale/);
    // A well-formed tag is written canonically.
    expect(validateSettings({ ...london, locale: "en-gb" }).locale).toBe("en-GB");
  });
  it("places the day start in the zone's own offset on both sides of DST", () => {
    expect(iso(zonedTimeToInstant("2026-03-28", 9, 0, "Europe/London"))).toBe("2026-03-28T09:00:00.000Z");
    expect(iso(zonedTimeToInstant("2026-03-30", 9, 0, "Europe/London"))).toBe("2026-03-30T08:00:00.000Z");
    // 01:30 does not exist on 29 March in London: the instant after the gap.
    expect(iso(zonedTimeToInstant("2026-03-29", 1, 30, "Europe/London"))).toBe("2026-03-29T01:30:00.000Z");
    // 01:30 happens twice on 25 October: the earlier one.
    expect(iso(zonedTimeToInstant("2026-10-25", 1, 30, "Europe/London"))).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("a change of zone, days or hours moves planned follow-ups", () => {
  const at = (s: string) => Date.parse(s);
  const now = at("2026-11-18T10:00:00Z");
  it("keeps the local date and how far into the day, in the new zone and hours", () => {
    // 09:00 London on Friday 20 Nov → 09:00 New York that Friday.
    expect(iso(movedReminder(at("2026-11-20T09:00:00Z"), london, newYork, now))).toBe("2026-11-20T14:00:00.000Z");
    // Two hours into a 09:00 day, the day now starting at 08:00: 10:00.
    expect(iso(movedReminder(at("2026-11-20T11:00:00Z"), london, { ...london, dayStart: "08:00" }, now))).toBe("2026-11-20T10:00:00.000Z");
    // Never after the last slot of a shorter day.
    expect(iso(movedReminder(at("2026-11-20T16:45:00Z"), london, { ...london, dayEnd: "15:00" }, now))).toBe("2026-11-20T14:45:00.000Z"); // 15:00 less one 15-minute event
  });
  it("moves off a new day off, and never into the past", () => {
    // Friday is no longer worked: the next working day, Monday.
    expect(iso(movedReminder(at("2026-11-20T09:00:00Z"), london, { ...london, workDays: [1, 2, 3, 4] }, now))).toBe("2026-11-23T09:00:00.000Z");
    // Due earlier today by the new zone's clock: the soonest working moment instead.
    const moved = movedReminder(at("2026-11-18T10:30:00Z"), london, dubai, now);
    expect(moved).toBeGreaterThan(now);
    expect(localDateOf(moved, "Asia/Dubai") >= "2026-11-18").toBe(true);
  });
  it("tells a change that moves follow-ups from one that doesn't", () => {
    expect(timingChanged(london, { ...london, checkInDays: 30 })).toBe(false);
    expect(timingChanged(london, { ...london, locale: "en-US" })).toBe(false);
    expect(timingChanged(london, newYork)).toBe(true);
    expect(timingChanged(london, { ...london, workDays: [1, 2, 3, 4] })).toBe(true);
    expect(timingChanged(london, { ...london, dayEnd: "18:00" })).toBe(true);
  });
});

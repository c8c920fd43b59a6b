import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, daysBetween, isLocalDate, lastDayOfMonth, localDateOf, offsetMinutes, weekdayOf, zonedParts, zonedTimeToInstant } from "./time";

const ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "UTC", "Pacific/Apia"];

function intl(instant: number, timeZone: string) {
  const f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", weekday: "short" });
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour! % 24, minute: +p.minute!, weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(p.weekday!) + 1 };
}

describe("zoned time", () => {
  it("agrees with Intl at any instant in zones with odd offsets and DST", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2045, 0, 1) }), fc.constantFrom(...ZONES), (instant, zone) => {
        const { second: _s, ...mine } = zonedParts(instant, zone);
        expect(mine).toEqual(intl(instant, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees with Intl on both sides of every 2026 transition", () => {
    for (const zone of ZONES) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
        if (offsetMinutes(t, zone) !== offsetMinutes(t + 3_600_000, zone)) {
          for (const d of [-60_000, -1000, 0, 1000, 60_000, 3_600_000]) {
            const { second: _s, ...mine } = zonedParts(t + 3_600_000 + d, zone);
            expect(mine, `${zone} ${new Date(t + 3_600_000 + d).toISOString()}`).toEqual(intl(t + 3_600_000 + d, zone));
          }
        }
      }
    }
  });

  it("round-trips a wall time to an instant and back", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45), fc.constantFrom(...ZONES), (d, h, m, zone) => {
        const date = addDays("2024-01-01", d);
        const at = zonedTimeToInstant(date, h, m, zone);
        const back = zonedParts(at, zone);
        // In a DST gap the wall time does not exist and comes back later that day.
        if (back.hour === h && back.minute === m) expect(localDateOf(at, zone)).toBe(date);
        else expect(at).toBeGreaterThan(zonedTimeToInstant(date, 0, 0, zone));
      }),
      { numRuns: 2000 },
    );
  });

  it("does calendar arithmetic", () => {
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(daysBetween("2026-11-18", "2027-01-02")).toBe(45);
    expect(weekdayOf("2026-11-22")).toBe(7);
    expect(lastDayOfMonth("2026-02-10")).toBe("2026-02-28");
    expect(isLocalDate("2026-02-29")).toBe(false);
    expect(isLocalDate("2028-02-29")).toBe(true);
  });
});

describe("wall times on DST days", () => {
  it.each([
    ["America/Los_Angeles", "2026-03-08", 9, 0, "2026-03-08T16:00:00.000Z"],
    ["America/New_York", "2026-03-08", 4, 0, "2026-03-08T08:00:00.000Z"],
    ["America/New_York", "2026-03-08", 6, 0, "2026-03-08T10:00:00.000Z"],
    ["America/New_York", "2026-03-08", 2, 30, "2026-03-08T07:30:00.000Z"], // in the gap: after it
    ["America/New_York", "2026-11-01", 1, 30, "2026-11-01T05:30:00.000Z"], // twice: the earlier
    ["Europe/London", "2026-03-29", 9, 0, "2026-03-29T08:00:00.000Z"],
    ["Australia/Lord_Howe", "2026-04-05", 1, 45, "2026-04-04T14:45:00.000Z"],
  ])("%s %s %i:%i", (zone, date, h, m, expected) => {
    expect(new Date(zonedTimeToInstant(date, h, m, zone)).toISOString()).toBe(expected);
  });

  it("every wall time that exists comes back unchanged, on every DST day of 2026", () => {
    for (const zone of ["America/Los_Angeles", "America/New_York", "Europe/London", "Australia/Sydney", "America/St_Johns"]) {
      for (let d = 0; d < 365; d++) {
        const date = addDays("2026-01-01", d);
        for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
          const at = zonedTimeToInstant(date, Math.floor(minutes / 60), minutes % 60, zone);
          const p = zonedParts(at, zone);
          if (p.hour * 60 + p.minute !== minutes) {
            // Only a time inside a spring-forward gap may move, and only forward.
            expect(offsetMinutes(at - 3_600_000, zone), `${zone} ${date} ${minutes}`).toBeLessThan(offsetMinutes(at, zone));
          } else expect(localDateOf(at, zone)).toBe(date);
        }
      }
    }
  });
});

import fc from "fast-check";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { zonedParts, zonedTimeToInstant } from "../core/time";
import { escapeText, foldLine, renderFeed, UNTITLED, type FeedEvent } from "./ics";

const ev = (p: Partial<FeedEvent> = {}): FeedEvent => ({
  uid: "commitment-1@kept.example.com",
  sequence: 0,
  start: Date.UTC(2026, 9, 23, 8, 0),
  end: Date.UTC(2026, 9, 23, 8, 15),
  timeZone: "Europe/London",
  title: "Follow up: Priya Shah",
  description: "You told Priya: I'll get back to you by Friday.",
  url: "https://kept.example.com/c/1",
  alarmMinutes: 15,
  status: "confirmed",
  updatedAt: Date.UTC(2026, 9, 20, 12),
  createdAt: Date.UTC(2026, 9, 19, 12),
  ...p,
});

function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const events = cal.getAllSubcomponents("vevent");
  return { cal, events };
}
const time = (c: ICAL.Component, name: string) => (c.getFirstPropertyValue(name) as ICAL.Time).toJSDate().getTime();

describe("renderFeed", () => {
  it("round-trips every field through ical.js", () => {
    const ics = renderFeed({ calendarName: "Kept: Sam's follow-ups", events: [ev({ sequence: 3 })] });
    const { cal, events } = parse(ics);
    expect(cal.getFirstPropertyValue("version")).toBe("2.0");
    expect(cal.getFirstPropertyValue("prodid")).toBe("-//Kept//Kept follow-ups//EN");
    expect(cal.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(cal.getFirstPropertyValue("x-wr-calname")).toBe("Kept: Sam's follow-ups");
    expect(cal.getFirstPropertyValue("refresh-interval")?.toString()).toBe("PT1H");
    expect(cal.getAllSubcomponents("vtimezone")).toHaveLength(0);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.getFirstPropertyValue("uid")).toBe("commitment-1@kept.example.com");
    expect(e.getFirstPropertyValue("sequence")).toBe(3);
    expect(e.getFirstPropertyValue("summary")).toBe("Follow up: Priya Shah");
    expect(e.getFirstPropertyValue("description")).toBe("You told Priya: I'll get back to you by Friday.");
    expect(e.getFirstPropertyValue("url")).toBe("https://kept.example.com/c/1");
    expect(e.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(e.getFirstPropertyValue("transp")).toBe("OPAQUE");
    expect(time(e, "dtstart")).toBe(Date.UTC(2026, 9, 23, 8, 0));
    expect(time(e, "dtend")).toBe(Date.UTC(2026, 9, 23, 8, 15));
    expect((e.getFirstPropertyValue("dtstart") as ICAL.Time).zone?.tzid).toBe("UTC");
    expect(time(e, "dtstamp")).toBe(Date.UTC(2026, 9, 20, 12));
    expect(time(e, "last-modified")).toBe(Date.UTC(2026, 9, 20, 12));
    expect(time(e, "created")).toBe(Date.UTC(2026, 9, 19, 12));
    const alarms = e.getAllSubcomponents("valarm");
    expect(alarms).toHaveLength(1);
    expect(alarms[0].getFirstPropertyValue("action")).toBe("DISPLAY");
    expect(alarms[0].getFirstPropertyValue("description")).toBe("Follow up: Priya Shah");
    expect((alarms[0].getFirstPropertyValue("trigger") as ICAL.Duration).toSeconds()).toBe(-15 * 60);
  });

  it("is byte-identical for the same input, with CRLF line ends", () => {
    const input = { calendarName: "Kept", events: [ev(), ev({ uid: "b", alarmMinutes: null })] };
    const a = renderFeed(input);
    expect(renderFeed(input)).toBe(a);
    expect(a.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(a.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("keeps a cancelled event with STATUS:CANCELLED, the bumped SEQUENCE and no alarm", () => {
    const { events } = parse(renderFeed({ calendarName: "Kept", events: [ev({ status: "cancelled", sequence: 4 })] }));
    expect(events[0].getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(events[0].getFirstPropertyValue("sequence")).toBe(4);
    expect(events[0].getFirstPropertyValue("transp")).toBe("TRANSPARENT");
    expect(events[0].getAllSubcomponents("valarm")).toHaveLength(0);
  });

  it("writes no alarm for null, and an alarm at the start for 0 minutes", () => {
    const { events } = parse(renderFeed({ calendarName: "Kept", events: [ev({ alarmMinutes: null }), ev({ uid: "z", alarmMinutes: 0 }), ev({ uid: "d", alarmMinutes: 1440 })] }));
    expect(events[0].getAllSubcomponents("valarm")).toHaveLength(0);
    const zero = events[1].getFirstSubcomponent("valarm")!.getFirstPropertyValue("trigger") as ICAL.Time;
    expect(zero.toJSDate().getTime()).toBe(ev().start);
    const dayBefore = events[2].getFirstSubcomponent("valarm")!.getFirstPropertyValue("trigger") as ICAL.Duration;
    expect(dayBefore.toSeconds()).toBe(-86_400);
  });

  it("puts 09:00 local at the right UTC instant on both sides of a DST change", () => {
    const cases = [
      ["Europe/London", "2026-10-23"], // BST
      ["Europe/London", "2026-10-26"], // GMT, after 25 Oct
      ["America/New_York", "2026-10-30"], // EDT
      ["America/New_York", "2026-11-02"], // EST, after 1 Nov
      ["Australia/Sydney", "2026-10-02"], // AEST
      ["Australia/Sydney", "2026-10-05"], // AEDT, after 4 Oct
    ] as const;
    const events = cases.map(([tz, date], i) => {
      const start = zonedTimeToInstant(date, 9, 0, tz);
      return ev({ uid: `dst-${i}`, timeZone: tz, start, end: start + 15 * 60_000 });
    });
    const parsed = parse(renderFeed({ calendarName: "Kept", events })).events;
    parsed.forEach((p, i) => {
      const [tz, date] = cases[i];
      const start = time(p, "dtstart");
      expect(start).toBe(events[i].start);
      const local = zonedParts(start, tz);
      expect([local.hour, local.minute, `${local.year}-${String(local.month).padStart(2, "0")}-${String(local.day).padStart(2, "0")}`]).toEqual([9, 0, date]);
      expect(time(p, "dtend") - start).toBe(15 * 60_000);
    });
    // An event across the London change keeps its real length (2 h of elapsed time).
    const across = ev({ uid: "x", start: Date.UTC(2026, 9, 25, 0, 30), end: Date.UTC(2026, 9, 25, 2, 30) });
    const p = parse(renderFeed({ calendarName: "Kept", events: [across] })).events[0];
    expect(time(p, "dtend") - time(p, "dtstart")).toBe(2 * 3_600_000);
  });

  it("escapes commas, semicolons, backslashes and newlines in every text field", () => {
    const nasty = "Re: offer, salary; bonus \\ notes\r\nline two\nline three\rline four";
    const expected = "Re: offer, salary; bonus \\ notes\nline two\nline three\nline four";
    const ics = renderFeed({ calendarName: nasty, events: [ev({ uid: "id,with;odd\\chars", title: nasty, description: nasty })] });
    expect(ics).toContain("SUMMARY:Re: offer\\, salary\\; bonus \\\\ notes\\nline two");
    const { cal, events } = parse(ics);
    // ical.js does not know X-WR-CALNAME and hands back the raw value; RFC 5545
    // §3.8.8.2 makes TEXT the default type of X- properties, as clients read it.
    const unescape = (v: string) => v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
    expect(unescape(cal.getFirstPropertyValue("x-wr-calname") as string)).toBe(expected);
    expect(events[0].getFirstPropertyValue("uid")).toBe("id,with;odd\\chars");
    expect(events[0].getFirstPropertyValue("summary")).toBe(expected);
    expect(events[0].getFirstPropertyValue("description")).toBe(expected);
    expect(events[0].getFirstSubcomponent("valarm")!.getFirstPropertyValue("description")).toBe(expected);
  });

  it("folds at 75 octets without splitting multi-byte characters", () => {
    const title = "Follow up: Zoë Müller – “I'll keep you posted” 中文中文中文中文中文中文 😀😀😀 ".repeat(4);
    const ics = renderFeed({ calendarName: "Kept", events: [ev({ title, description: title })] });
    for (const line of ics.split("\r\n")) {
      expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
      expect(line).not.toContain("\uFFFD");
    }
    const { events } = parse(ics);
    expect(events[0].getFirstPropertyValue("summary")).toBe(title);
    expect(events[0].getFirstPropertyValue("description")).toBe(title);
  });

  it("round-trips any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 200 }), (a, b) => {
        const text = a + b;
        const ics = renderFeed({ calendarName: "Kept", events: [ev({ title: text || "x", description: text })] });
        for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
        const clean = (s: string) => s.replace(/\r\n?/g, "\n").replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, "");
        const e = parse(ics).events[0];
        expect(e.getFirstPropertyValue("summary")).toBe(clean(text || "x") || UNTITLED);
        if (clean(text)) expect(e.getFirstPropertyValue("description")).toBe(clean(text));
      }),
      { numRuns: 300 },
    );
  });

  it("gives an event whose title is only control characters a title of its own", () => {
    const e = parse(renderFeed({ calendarName: "Kept", events: [ev({ title: "\u0000\u0007" })] })).events[0];
    expect(e.getFirstPropertyValue("summary")).toBe("Kept follow-up");
  });

  it("renders an empty feed and refuses impossible events", () => {
    const { cal, events } = parse(renderFeed({ calendarName: "Kept", events: [] }));
    expect(cal.getFirstPropertyValue("x-wr-calname")).toBe("Kept");
    expect(events).toHaveLength(0);
    expect(() => renderFeed({ calendarName: "Kept", events: [ev({ end: ev().start })] })).toThrow(/end must be after start/);
    expect(() => renderFeed({ calendarName: "Kept", events: [ev({ sequence: -1 })] })).toThrow(/sequence/);
  });
});

describe("helpers", () => {
  it("escapeText and foldLine", () => {
    expect(escapeText("a,b;c\\d\r\ne\u0007")).toBe("a\\,b\\;c\\\\d\\ne");
    expect(foldLine("x".repeat(75))).toBe("x".repeat(75));
    expect(foldLine("x".repeat(76))).toBe("x".repeat(75) + "\r\n x");
    expect(foldLine("é".repeat(40)).split("\r\n").map((l) => Buffer.byteLength(l))).toEqual([74, 7]);
  });
});

import { describe, expect, it } from "vitest";
import { niceMax, waitedChart, weeklyChart } from "./charts";
import { hoursAsWords, initials, percent, relativeDays, shortDate, span } from "./format";

describe("niceMax", () => {
  it.each([
    [0, 4],
    [4, 4],
    [5, 6],
    [7, 8],
    [19, 20],
    [21, 30],
    [99, 100],
    [150, 200],
    [999, 1000],
  ])("%i → %i", (max, top) => {
    expect(niceMax(max)).toBe(top);
    expect(Number.isInteger(niceMax(max) / 2)).toBe(true);
  });
});

describe("format", () => {
  it.each([
    ["2026-11-25", "today"],
    ["2026-11-24", "yesterday"],
    ["2026-11-26", "tomorrow"],
    ["2026-11-20", "5 days ago"],
    ["2026-10-01", "8 weeks ago"],
    ["2026-05-01", "7 months ago"],
    ["2026-12-10", "in 2 weeks"],
  ])("relativeDays(%s)", (date, words) => expect(relativeDays(date, "2026-11-25")).toBe(words));

  it.each([
    [null, "—"],
    [0.5, "under an hour"],
    [1, "1 hour"],
    [20, "20 hours"],
    [60, "2.5 days"],
    [300, "13 days"],
  ])("hoursAsWords(%s)", (h, words) => expect(hoursAsWords(h)).toBe(words));

  it("dates, spans, percentages and initials", () => {
    expect(shortDate("2026-10-02", "2026-11-25", "en-GB")).toBe("Fri 2 Oct");
    expect(shortDate("2025-10-02", "2026-11-25", "en-GB")).toMatch(/2025/);
    expect(span(1)).toBe("1 day");
    expect(span(21)).toBe("3 weeks");
    expect(percent(null)).toBe("—");
    expect(percent(0.625)).toBe("63%");
    expect(initials({ name: "Müller, Zoë", address: "z@x" })).toBe("ZM");
    expect(initials({ name: null, address: "ana@x" })).toBe("A");
  });
});

describe("charts", () => {
  it("are images with a title and description, and carry the numbers in a table", async () => {
    const weekly = await weeklyChart([{ weekStart: "2026-11-16", made: 3, kept: 1 }, { weekStart: "2026-11-23", made: 0, kept: 2 }], "en-GB");
    expect(String(weekly)).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-weekly-title chart-weekly-desc"/);
    expect(String(weekly)).toContain("3 made and 3 kept over 2 weeks");
    expect(String(weekly)).toContain('<tr><th scope="row">16 Nov</th><td>3</td><td>1</td></tr>');
    const waited = await waitedChart([{ label: "same day", count: 0 }, { label: "1–2 days", count: 5 }]);
    expect(String(waited)).toContain('<tr><th scope="row">1–2 days</th><td>5</td></tr>');
    expect(String(waited)).not.toContain("NaN");
  });
});

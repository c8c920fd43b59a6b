import { describe, expect, it } from "vitest";
import { renderSummary, type SummaryRow } from "./summary";

const NOW = Date.UTC(2026, 10, 24, 18, 0); // Tue 24 Nov 2026
const row = (p: Partial<SummaryRow>): SummaryRow => ({
  name: "Daniel Kim",
  address: "daniel.kim@example.org",
  subject: "Contract role",
  sentence: "I'll call you tomorrow to talk through the contract terms.",
  sentAt: Date.UTC(2026, 9, 2, 15, 40),
  dueDate: "2026-10-03",
  status: "open",
  chased: false,
  ...p,
});

describe("renderSummary", () => {
  it("lists who is waiting, most overdue first, with chases and a kept count", () => {
    const out = renderSummary(
      [
        row({ name: "Noah Patel", address: "noah@example.net", sentence: "I'll send the offer paperwork by the end of the month.", sentAt: Date.UTC(2026, 10, 23, 15), dueDate: "2026-11-30", chased: 1 }),
        row({}),
        row({ name: null, address: "zoe.muller@example.org", sentence: "I'll keep you posted.", sentAt: Date.UTC(2026, 10, 5, 10), dueDate: null }),
        row({ name: "James Wright", address: "james@example.net", sentence: "Leave it with me.", sentAt: Date.UTC(2026, 9, 26, 10), dueDate: "2026-11-03", chased: 2 }),
        row({ name: "Priya Shah", status: "kept" }),
        row({ name: "Someone", status: "dismissed" }),
        row({ name: "Tom", address: "tom@example.net", sentence: "News by Friday", sentAt: Date.UTC(2026, 10, 24, 17), dueDate: "2026-11-24" }),
      ],
      { now: NOW, timeZone: "Europe/London", width: 120 },
    );
    expect(out).toBe(
      [
        "5 people are waiting on you: 2 overdue, 2 chased you.",
        "",
        "Who                     Waiting since     Due                  Chased  Promise",
        "──────────────────────  ────────────────  ───────────────────  ──────  ─────────────────────────────────────────────────",
        "Daniel Kim              2 Oct (53 days)   3 Oct, 52 days late          I'll call you tomorrow to talk through the contr…",
        "James Wright            26 Oct (29 days)  3 Nov, 21 days late  2×      Leave it with me.",
        "Tom                     24 Nov (0 days)   24 Nov, today                News by Friday",
        "Noah Patel              23 Nov (1 day)    30 Nov, in 6 days    yes     I'll send the offer paperwork by the end of the …",
        "zoe.muller@example.org  5 Nov (19 days)   no date                      I'll keep you posted.",
        "",
        "1 promise already kept.",
        "",
      ].join("\n"),
    );
    for (const line of out.split("\n")) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it("uses the user's time zone for 'today'", () => {
    // 23:30 in London on 24 Nov is already 25 Nov in Auckland.
    const late = Date.UTC(2026, 10, 24, 23, 30);
    const r = [row({ dueDate: "2026-11-25" })];
    expect(renderSummary(r, { now: late, timeZone: "Europe/London" })).toContain("25 Nov, tomorrow");
    expect(renderSummary(r, { now: late, timeZone: "Pacific/Auckland" })).toContain("25 Nov, today");
  });

  it("says so when nobody is waiting", () => {
    expect(renderSummary([], { now: NOW, timeZone: "UTC" })).toBe("No promises found.\n");
    expect(renderSummary([row({ status: "kept" })], { now: NOW, timeZone: "UTC" })).toBe("Nobody is waiting on you.\n\n1 promise already kept.\n");
  });

  it("says how many promises when someone is owed more than one", () => {
    const two = renderSummary([row({ address: "ana@example.com" }), row({ address: "ana@example.com", sentence: "I'll call you." })], { now: NOW, timeZone: "UTC" });
    expect(two.split("\n")[0]).toMatch(/^1 person is waiting on you for 2 promises/);
  });
});

// Hostile input: never throws, never hangs. Timing is left to the test timeout
// (bench/detect.ts measures speed); each property keeps its runs modest.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findBadNews } from "./badnews";
import { findDates } from "./dates";
import { findPromises } from "./grammar";
import { htmlToText } from "./html";
import { detect } from "./index";
import { splitSentences } from "./sentences";
import { tokenize } from "./tokens";
import { isAutoReply, zone } from "./zone";

const base = { sentAt: "2026-11-18T10:15:00Z", timeZone: "Europe/London", locale: "en-GB" };

function checkDetection(text?: string, html?: string) {
  const d = detect({ ...base, text, html });
  for (const c of d.commitments) {
    expect(d.cleanedText.slice(c.span[0], c.span[1]).startsWith(c.sentence.slice(0, 50))).toBe(true);
    expect(c.sentence.length).toBeLessThanOrEqual(500);
    expect(c.confidence).toBeGreaterThanOrEqual(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
    if (c.dueDate !== null) expect(c.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  return d;
}

/** Every stage, one after the other, over one string. */
function everyStage(s: string) {
  const h = htmlToText(s);
  zone(s);
  zone(h);
  isAutoReply(s);
  const spans = splitSentences(s);
  for (const [a, b] of spans.slice(0, 50)) {
    const tk = tokenize(s.slice(a, b));
    findPromises(tk);
    findDates(tk, "2026-11-18", true);
    findBadNews(tk);
  }
  checkDetection(s);
  checkDetection(undefined, s);
}

const WORDS = ["I'll", "get", "back", "to", "you", "by", "Friday", "tomorrow", "next", "week", "<div>", "</div>", "<blockquote>",
  "> ", "\n", "On", "wrote:", "From:", "Sent:", "-- ", "Best,", "the", "12/03", "15.05.", "in", "2", "days", "?", ".", ",", "&amp;",
  "&#xD800;", "\uD800", "\uDC00", "won't", "until", "Monday", "let", "me", "know", "decided", "not", "to", "proceed", "role", "filled"];

describe("never throws on any string", () => {
  it("random unicode strings (full range, lone surrogates included)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => { everyStage(s); }), { numRuns: 300 });
  });
  it("random email-ish word salad", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 200 }), (ws) => { everyStage(ws.join(" ")); }), { numRuns: 300 });
  });
  it("random HTML-ish markup", () => {
    const tag = fc.constantFrom("<div>", "</div>", "<p>", "</p>", "<br>", "<blockquote>", "</blockquote>", "<div class=\"gmail_quote\">",
      "<script>", "</script>", "<!--", "-->", "<a href='", "\"", "'", ">", "<", "&", "&#", "&#x110000;", "<style>", "<div id=\"divRplyFwdMsg\">", "text ", "I'll call you tomorrow. ");
    fc.assert(fc.property(fc.array(tag, { maxLength: 200 }), (parts) => { everyStage(parts.join("")); }), { numRuns: 300 });
  });
  it("throws a typed error only for a bad time zone or send instant", () => {
    expect(() => detect({ text: "hi", sentAt: "2026-11-18T10:15:00Z", timeZone: "Mars/Olympus" })).toThrow(/IANA/);
    expect(() => detect({ text: "hi", sentAt: "not a date", timeZone: "Europe/London" })).toThrow(/sentAt/);
    expect(() => detect({ text: "hi", sentAt: Number.NaN, timeZone: "Europe/London" })).toThrow(/sentAt/);
  });
  it("missing text and html is an empty message", () => {
    expect(detect(base).commitments).toEqual([]);
  });
});

describe("adversarial input stays linear", () => {
  const adversarial = [
    "a".repeat(100_000) + "!",
    " ".repeat(100_000) + "x",
    "\n".repeat(100_000) + "x",
    "I'll ".repeat(20_000) + "get back to you",
    "I will ".repeat(10_000) + "send",
    "by the end of the ".repeat(10_000),
    "On ".repeat(30_000) + "wrote:",
    "wrote" + " ".repeat(50_000) + "x",
    "From: x\n".repeat(20_000),
    "> ".repeat(50_000),
    "1/".repeat(50_000),
    "1.".repeat(50_000),
    "&#".repeat(50_000),
    "<".repeat(100_000),
    "<a ".repeat(30_000),
    "<div>".repeat(50_000) + "I'll call you tomorrow." + "</div>".repeat(50_000),
    "<blockquote>".repeat(50_000) + "x",
    "<a href=\"" + "x".repeat(100_000),
    "I'll send the " + "very ".repeat(20_000) + "thing to the client",
    "We have decided not to " + "really ".repeat(20_000) + "proceed",
    "Best,\n".repeat(20_000),
    "Hi,\n\n" + "I'll get back to you by Friday. ".repeat(3_000),
  ];
  it.each(adversarial.map((s, i) => [i, s] as const))("case %i", (_i, s) => {
    everyStage(s);
  });

  it("a 10 MB body", () => {
    const para = "Thanks for the update. I'll get back to you by Friday with the numbers, once the client confirms.\n\n";
    const big = para.repeat(Math.ceil(10_000_000 / para.length));
    const d = detect({ ...base, text: big });
    expect(d.dueDate).toBe("2026-11-20");
    const h = detect({ ...base, html: `<div>${big.slice(0, 2_000_000).replace(/\n/g, "<br>")}</div>` });
    expect(h.commitments.length).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { detect } from "./index";

// Sent Wednesday 18 November 2026, 10:15 in London.
const WED = "2026-11-18T10:15:00Z";
const due = (sentence: string, sentAt = WED, timeZone = "Europe/London", locale = "en-GB") =>
  detect({ text: sentence, sentAt, timeZone, locale }).dueDate;

describe("the spec's due-date table (sent Wed 18 Nov 2026)", () => {
  const cases: [string, string | null][] = [
    ["I'll send it today.", "2026-11-18"],
    ["Will revert by EOD.", "2026-11-18"],
    ["I'll confirm by close of business.", "2026-11-18"],
    ["I'll send it over tonight.", "2026-11-18"],
    ["I'll call you this arvo.", "2026-11-18"],
    ["I'll get back to you later today.", "2026-11-18"],
    ["I'll send the confirmation in a few hours.", "2026-11-18"],
    ["I'll get back to you by 3pm.", "2026-11-18"],
    ["I'll call you tomorrow.", "2026-11-19"],
    ["I'll call you first thing tomorrow.", "2026-11-19"],
    ["I'll get back to you tmrw.", "2026-11-19"],
    ["I'll get back to you by Friday.", "2026-11-20"],
    ["I'll get back to you this Friday.", "2026-11-20"],
    ["I'll get back to you on Wednesday.", "2026-11-25"],
    ["Back to you by Thurs latest.", "2026-11-19"],
    ["I'll call you Monday morning.", "2026-11-23"],
    ["I'll call you Monday arvo.", "2026-11-23"],
    ["I'll get back to you next Friday.", "2026-11-20"],
    ["I'll send it this week.", "2026-11-20"],
    ["I'll send it by the end of the week.", "2026-11-20"],
    ["Will have the numbers to you by EOW.", "2026-11-20"],
    ["I'll send it later this week.", "2026-11-20"],
    ["You'll have my feedback by the weekend.", "2026-11-20"],
    ["I'll send it next week.", "2026-11-27"],
    ["Will update you by the end of next week.", "2026-11-27"],
    ["I'll get back to you early next week.", "2026-11-23"],
    ["I'll get back to you at the beginning of next week.", "2026-11-23"],
    ["We will share the quote by mid next week.", "2026-11-25"],
    ["I'll come back to you after the weekend.", "2026-11-23"],
    ["I'll send it to you in 3 days.", "2026-11-21"],
    ["I'll come back to you in a day or two.", "2026-11-20"],
    ["I'll get back to you in a couple of days.", "2026-11-20"],
    ["I'll let you know in a few days.", "2026-11-21"],
    ["I'll confirm a slot over the next few days.", "2026-11-21"],
    ["We'll send a fix within 24 hours.", "2026-11-19"],
    ["We'll send a fix within 48 hours.", "2026-11-20"],
    ["We will respond within 3 working days.", "2026-11-23"],
    ["I'll confirm within two business days.", "2026-11-20"],
    ["I'll get back to you in a week.", "2026-11-25"],
    ["I'll follow up in two weeks.", "2026-12-02"],
    ["I'll come back to you in a fortnight.", "2026-12-02"],
    ["I'll touch base in a couple of weeks.", "2026-12-02"],
    ["I'll send it by the end of the month.", "2026-11-30"],
    ["We will send the copy by month end.", "2026-11-30"],
    ["I'll send the renewal terms next month.", "2026-12-31"],
    ["I'll be in touch early next month.", "2026-12-07"],
    ["I'll have the pack to you by 3 December.", "2026-12-03"],
    ["I'll send it on December 3rd.", "2026-12-03"],
    ["I'll send the offer on the 5th.", "2026-12-05"],
    ["I'll send the offer on the 25th.", "2026-11-25"],
    ["I'll confirm by 15.05.", "2027-05-15"],
    ["I'll send your induction schedule on Friday 11 December.", "2026-12-11"],
    ["I'll send it by 8 January.", "2027-01-08"],
    ["I'll get back to you soon.", null],
    ["I'll send it shortly.", null],
    ["I'll let you know ASAP.", null],
    ["We'll be in touch in due course.", null],
    ["I'll let you know once I hear back.", null],
    ["I'll let you know when I know more.", null],
    ["You'll have it from us in no time at all.", null],
  ];
  it.each(cases)("%s → %s", (sentence, expected) => expect(due(sentence)).toBe(expected));
});

describe("weekday rules at the edges of the week", () => {
  it("a weekday named on that weekday is the one a week later", () => {
    expect(due("I'll get back to you by Friday.", "2026-11-20T10:00:00Z")).toBe("2026-11-27");
  });
  it("sent on a Sunday, 'this Friday' is the coming Friday and 'next week' the week after", () => {
    expect(due("I'll confirm the time this Friday.", "2026-11-22T19:30:00Z")).toBe("2026-11-27");
    expect(due("I'll send it next week.", "2026-11-22T19:30:00Z")).toBe("2026-11-27");
  });
  it("working days skip the weekend", () => {
    expect(due("We will send your kit within 5 working days.", "2026-11-28T05:30:00Z", "Asia/Kolkata")).toBe("2026-12-04");
  });
  it("several promises: the earliest date", () => {
    expect(due("I'll confirm the plan next week, and in the meantime I'll send you the case study tomorrow.")).toBe("2026-11-19");
  });
  it("negated ability: due at the bound", () => {
    expect(due("I won't be able to send it before the 14th.", "2026-12-07T04:30:00Z", "Asia/Kolkata")).toBe("2026-12-14");
  });
});

describe("time zones: the local sending day, not the UTC one", () => {
  const cases: [string, string, string, string][] = [
    ["I'll get back to you tomorrow morning.", "2026-11-09T20:50:00Z", "Australia/Sydney", "2026-11-11"],
    ["I'll update you Thursday.", "2026-11-05T04:40:00Z", "America/New_York", "2026-11-05"],
    ["I'll call you first thing tomorrow.", "2026-11-18T04:25:00Z", "America/New_York", "2026-11-18"],
    ["I'll send it over by end of day.", "2026-10-23T00:40:00+01:00", "Europe/London", "2026-10-23"],
    ["I'll send it next week.", "2026-11-30T04:00:00Z", "America/Los_Angeles", "2026-12-04"],
    ["I'll get it to you by the end of the month.", "2026-11-30T21:30:00Z", "Australia/Sydney", "2026-12-31"],
  ];
  it.each(cases)("%s (%s in %s)", (s, at, tz, expected) => expect(due(s, at, tz)).toBe(expected));

  it("across a DST change the calendar arithmetic stays on local days", () => {
    // Sat 24 Oct 2026 23:30 BST; clocks go back on Sun 25 Oct
    expect(due("I'll send it in 2 days.", "2026-10-24T22:30:00Z")).toBe("2026-10-26");
    expect(due("I'll call you tomorrow.", "2026-10-24T22:30:00Z")).toBe("2026-10-25");
    // US: Sat 7 Mar 2026 23:30 EST; clocks go forward on Sun 8 Mar
    expect(due("I'll call you on Monday.", "2026-03-08T04:30:00Z", "America/New_York", "en-US")).toBe("2026-03-09");
  });
});

describe("numeric dates follow the locale", () => {
  const cases: [string, string, string, string][] = [
    ["I'll confirm by 12/03.", "2026-11-24T15:00:00Z", "en-US", "2026-12-03"],
    ["I'll confirm by 12/03.", "2027-03-01T10:00:00Z", "en-GB", "2027-03-12"],
    ["I'll confirm by 04/12.", "2026-11-27T09:00:00Z", "en-GB", "2026-12-04"],
    ["I'll get you a decision by 1/8.", "2026-12-28T18:00:00Z", "en-US", "2027-01-08"],
    ["I'll confirm by 05/06.", "2026-05-27T10:00:00Z", "en-AU", "2026-06-05"],
    ["I'll confirm by 15/12.", "2026-11-24T15:00:00Z", "en-US", "2026-12-15"],
  ];
  it.each(cases)("%s sent %s in %s", (s, at, locale, expected) => expect(due(s, at, "Europe/London", locale)).toBe(expected));
});

import { describe, expect, it } from "vitest";
import { findPromises, isImplicitPromise } from "./grammar";
import { detect } from "./index";
import { tokenize } from "./tokens";

const found = (s: string) => findPromises(tokenize(s));
/** End to end, so that negated hits without a bound date are dropped as in production. */
const detected = (s: string) => detect({ text: s, sentAt: "2026-11-18T10:15:00Z", timeZone: "Europe/London" }).commitments;

describe("promises (one each)", () => {
  const cases = [
    "I'll get back to you.",
    "I will let you know by Friday.",
    "Let me check and come back to you.",
    "I'll keep you posted.",
    "Will update you once I hear from the client.",
    "Leave it with me.",
    "I'll send the job spec over tomorrow.",
    "We will be in touch if you are shortlisted.",
    "I won't be able to get back to you until Monday.",
    "I'll call you tomorrow.",
    "I'll try to get back to you by Friday.",
    "I hope to have news by Friday.",
    "You'll hear from me next week.",
    "Expect an update from us on Thursday.",
    "Will revert by EOD.",
    "Back to you by Thurs latest.",
    "Update to follow.",
    "ill get back to you tmrw",
    "I'll get the revised rate sheet over to you by 12/03.",
    "I'll get the updated proposal, with the revised timeline, to you within 48 hours.",
    "You'll have the signed NDA back from us this afternoon.",
    "I'm on it and will report back.",
    "As soon as I have feedback I'll come back to you.",
    "I'll drop you a line later this week.",
    "We are investigating and will respond in full within 3 working days.",
    "Sounds good, I'll send it over tomorrow, does that work?",
    "I should have an update for you by Friday.",
    "I'll call tomorrow.",
    "Will update when I know more.",
    "thx - will get back to u asap",
    "I'll post a revised patch once I've tested it.",
    "You should hear from me by Friday.",
    "I'll fax it to you this afternoon.",
  ];
  it.each(cases)("%s", (s) => expect(detected(s).length).toBeGreaterThan(0));
});

describe("not promises", () => {
  const cases: [string, string][] = [
    ["request", "Please get back to me by Friday."],
    ["request", "Let me know if you have questions."],
    ["request", "Could you update me by Friday?"],
    ["request", "Keep me posted."],
    ["request", "I need you to get back to me by Friday."],
    ["indirect request", "I'd appreciate it if you could let me know by Monday."],
    ["question", "Shall I call you tomorrow?"],
    ["question", "Do you want me to get back to you on Friday?"],
    ["question", "Will you let me know?"],
    ["sign-off", "Speak soon."],
    ["sign-off", "Looking forward to hearing from you."],
    ["sign-off", "Talk soon!"],
    ["joint proposal", "Let's catch up next week."],
    ["joint proposal", "We should sit down early next week."],
    ["past", "I got back to them yesterday."],
    ["past intention", "I was going to get back to you today but got tied up."],
    ["fulfilled", "As promised, here is the update."],
    ["fulfilled", "I said I would let you know, so here it is."],
    ["third party", "She said she'd get back to me."],
    ["third party", "The client will get back to you directly."],
    ["third party object", "I'll be in touch with the client tomorrow."],
    ["third party object", "I will forward this to John."],
    ["hypothetical", "If I were you I'd get back to them quickly."],
    ["counterfactual", "I would get back to you sooner if I could."],
    ["negated performative", "I can't promise I'll get back to you."],
    ["refusal", "I will not be able to get back to you."],
    ["negation", "I won't be chasing them again."],
    ["weak", "I might be able to get back to you tomorrow."],
    ["habit", "I always get back to candidates within a day."],
    ["policy", "We aim to respond to all enquiries within 24 hours."],
    ["not a message", "I'll be on holiday next week."],
    ["motion", "I'll get back to the office by 3pm."],
    ["motion", "When I get back from holiday the project starts."],
    ["chasing a third party", "I'll chase the client."],
    ["regret", "I should have let you know sooner."],
    ["call to a third party", "I'll call Priya this afternoon."],
    ["wait", "I will wait for your update."],
    ["keep in mind", "We will keep you in mind for future roles."],
    ["habit", "We will send out the newsletter every Monday."],
    ["third party after a first-person clause", "We will review it and the manager will get back to you."],
    ["noun, not verb", "I will wait for your update."],
  ];
  it.each(cases)("%s: %s", (_why, s) => expect(detected(s)).toEqual([]));
});

describe("general rules added for held-out mail", () => {
  const due = (s: string, sentAt = "2026-11-18T10:15:00Z") =>
    detect({ text: s, sentAt, timeZone: "Europe/London", locale: "en-GB" }).dueDate;
  it.each([
    ["delegation by the sender is the sender's promise", "I'll ask our engineer to send you the guide today."],
    ["causative have", "I'll have Sarah call you on Monday."],
    ["make sure someone", "I'll make sure someone from billing gets back to you by Friday."],
    ["make sure I", "I'll make sure I let you know by tomorrow."],
    ["subjectless going to", "Going to send the config diff over shortly."],
    ["subjectless shall", "Shall revert with the vendor's confirmation by Monday."],
    ["subjectless negated with a bound", "I'm out tomorrow, so won't get back to you until Friday."],
    ["subjectless after an elliptical clause", "Monitoring now - will report back if anything looks off."],
    ["subjectless after an interjection", "Yes will send it tonight"],
    ["clause-initial ill typo and texting 2 u", "ill look at the logs and get back 2 u tmrw"],
    ["noun phrase to follow", "Root cause analysis to follow tomorrow."],
    ["imperative expect + deliverable", "Expect the revised quote in 2 business days."],
    ["expect my X", "I'm away this week, so expect my report by 10 December."],
    ["ability modal with a date", "I can get back to you by Friday."],
    ["answer your questions", "I'll answer your questions properly tomorrow."],
    ["reaffirmation", "As I said, I'll get back to you on Monday."],
  ])("%s", (_why, s) => expect(detected(s).length).toBeGreaterThan(0));
  it.each([
    ["offer conditional on the recipient's wish", "If you're interested I'll send the job spec."],
    ["offer with can", "If it helps, I can call you tomorrow to talk it through."],
    ["ability modal without a date is an offer", "I can send you a few case studies."],
    ["named third party before a subjectless will", "Our account manager, Sarah Lee, will be in touch next week."],
    ["our team is not the sender", "Our team will be in touch shortly."],
    ["third party after a determiner", "I'll be in touch with the landlord tomorrow."],
    ["the recipient as the delegate's agent", "I will need you to send me the signed form by Friday."],
    ["motion back on a call", "I'll get back on the call in five minutes."],
    ["fixed phrase with to follow", "That is a hard act to follow."],
    ["expect with a subject", "We expect the report from the auditors next week."],
    ["ill as an adjective", "I was ill yesterday."],
  ])("not: %s", (_why, s) => expect(detected(s)).toEqual([]));
  it("a date before the promise in an opening clause", () => {
    expect(due("When I'm back from leave on the 20th I'll pick this up with you.")).toBe("2026-11-20");
    expect(due("Tomorrow I'll ring you to confirm the booking.")).toBe("2026-11-19");
  });
  it("'then' takes the date of the clause before", () => {
    expect(due("The supplier will confirm by Friday and I'll update you then.")).toBe("2026-11-20");
  });
  it("a negated promise bounded by a phrase that starts with 'before'", () => {
    expect(due("I can't get back to you before May.")).toBe("2027-05-01");
  });
  it("minutes spelled out", () => {
    expect(due("I'll call you back in ten minutes.")).toBe("2026-11-18");
  });
  it("a subjectless negated will without a bound is no promise", () => {
    expect(detected("Thanks, won't be sending the report.")).toEqual([]);
  });
});

describe("kinds and confidence", () => {
  it("conditional on an event", () => {
    expect(found("If I hear anything I'll let you know.")[0].kind).toBe("conditional");
  });
  it("hedged promises have lower confidence", () => {
    expect(found("I'll try to get back to you by Friday.")[0].confidence).toBeLessThan(found("I'll get back to you by Friday.")[0].confidence);
  });
  it("two promises in one sentence", () => {
    expect(found("I'll send the spec today, and I'll ring you on Thursday.")).toHaveLength(2);
  });
  it("the implicit 'passed your details on … in the meantime' promise", () => {
    const a = tokenize("I have passed your details on to the hiring team, and if you need anything in the meantime just give me a shout.");
    expect(isImplicitPromise(a.norm, null)).toBe(true);
    expect(isImplicitPromise(tokenize("If you need anything before Tuesday, just give me a shout.").norm, null)).toBe(false);
  });
});

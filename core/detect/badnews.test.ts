import { describe, expect, it } from "vitest";
import { detect } from "./index";

const bad = (text: string) => detect({ text, sentAt: "2026-11-18T10:15:00Z", timeZone: "Europe/London" }).badNews;

describe("bad news", () => {
  const yes = [
    "Unfortunately the client has decided not to move forward with your application.",
    "I'm really sorry to say they won't be moving you forward to the second stage.",
    "They've filled the role internally.",
    "The Regional Procurement Manager role has been put on hold until the new CFO joins.",
    "They've cancelled the Project Controls Manager vacancy altogether.",
    "Elmbridge Pharma have withdrawn the offer for the QA Manager role.",
    "Due to a restructuring, we must rescind this offer.",
    "Oakhurst announced a company-wide hiring freeze for the rest of the year.",
    "Fairburn Bank has frozen all external hiring.",
    "After reviewing all six submissions, we will not be taking your proposal forward.",
    "I regret to inform you that your tender was not successful.",
    "We've decided not to renew the support contract.",
    "They've said no unfortunately.",
    "It's a no from them.",
    "They've decided to offer the role to the other finalist.",
    "I am sorry to let you know that you have not been successful.",
  ];
  it.each(yes)("%s", (s) => expect(bad(s)).not.toBeNull());

  const no: [string, string][] = [
    ["delay, outcome open", "No news yet I'm afraid, they need another week."],
    ["apology for slowness", "Sorry for the slow reply, it's been one of those weeks."],
    ["third party", "They've decided not to proceed with the other two candidates, so you're the only one left."],
    ["third party", "The other finalist has pulled out, so it's between you and one other."],
    ["sympathy for news from elsewhere", "I'm sorry to hear the Harwood Bank role didn't work out."],
    ["reschedule", "Unfortunately the hiring manager is out sick, so Thursday's interview needs to be moved."],
    ["good news", "Great news, they want to offer you the role!"],
    ["hypothetical", "If they decide not to proceed, I'll let you know."],
    ["question", "Have they decided not to move forward?"],
  ];
  it.each(no)("%s: %s", (_why, s) => expect(bad(s)).toBeNull());

  it("bad news only in quoted history does not count", () => {
    expect(bad("Thanks for letting me know.\n\nOn Tue, 14 Apr 2026 at 15:02, Sarah <s@x.com> wrote:\n> They have decided not to progress your application.")).toBeNull();
  });

  it("reports the sentence, its span and the trigger", () => {
    const d = detect({ text: "Hi Sam,\n\nThey've filled the role internally. Sorry.", sentAt: "2026-11-18T10:15:00Z", timeZone: "Europe/London" });
    expect(d.badNews?.trigger).toBe("filled the role internally");
    expect(d.cleanedText.slice(...d.badNews!.span)).toBe(d.badNews!.sentence);
  });
});

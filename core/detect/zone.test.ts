import { describe, expect, it } from "vitest";
import { htmlToText } from "./html";
import { isAutoReply, zone } from "./zone";

const NEW = "I'll call you tomorrow.";

describe("zone: quoted history, forwards and signatures are cut", () => {
  const cases: [string, string][] = [
    ["Gmail On … wrote:", `Hi,\n\n${NEW}\n\nOn Tue, 3 Nov 2026 at 14:20, Kate <kate@x.com> wrote:\n> I'll send it Friday.`],
    ["On … wrote: wrapped over two lines", `${NEW}\n\nOn Mon, Nov 30, 2026 at 2:14 PM Kelsey Moreno <kelsey@redwood.com>\nwrote:\n> I'll send it Friday.`],
    ["> lines without a header", `${NEW}\n\n> I'll send it Friday.\n> Kate`],
    ["-----Original Message-----", `${NEW}\n\n-----Original Message-----\nFrom: Kate\nSent: Monday\nTo: Bob\nSubject: x\n\nI'll send it Friday.`],
    ["Outlook From:/Sent: block", `${NEW}\n\nFrom: Kate <k@x.com>\nSent: Monday, 7 December 2026 4:55 PM\nTo: Bob\nSubject: x\n\nI'll send it Friday.`],
    ["From: block after a ____ rule", `${NEW}\n\n________________________________\nFrom: Kate <k@x.com>\nSent: Monday\nTo: Bob\n\nI'll send it Friday.`],
    ["Gmail forward", `${NEW}\n\n---------- Forwarded message ---------\nFrom: Kate\nDate: Fri\n\nI'll send it Friday.`],
    ["Apple forward", `${NEW}\n\nBegin forwarded message:\n\nFrom: Kate\n\nI'll send it Friday.`],
    ["Lotus Notes forward", `${NEW}\n\n---------------------- Forwarded by Sally Beck/HOU/ECT on 12/13/2000 09:24 AM ---------------------------\n\nI'll send it Friday.`],
    ["Lotus Notes header", `${NEW}\n\n"Smith, John" <js@x.com> on 05/01/2001 10:00:00 AM\nTo: <jane@y.com>\ncc:\nSubject: RE: x\n\nI'll send it Friday.`],
    ["name wrote:", `${NEW}\n\nJohn Smith wrote:\n> I'll send it Friday.`],
    ["-- signature", `${NEW}\n\n-- \nDana\nWe'll get back to you within 24 hours.`],
    ["sign-off then name then signature", `${NEW}\n\nBest,\nHannah\n\nHannah Reid | Consultant\nI aim to reply within 24 hours.`],
    ["Sent from my iPhone", `${NEW}\n\nSent from my iPhone`],
    ["name | title signature without sign-off", `${NEW}\n\nKelsey Moreno | Talent Partner\nI'll always get back to you within 24 hours.`],
  ];
  it.each(cases)("%s", (_name, text) => {
    const z = zone(text).text;
    expect(z).toContain(NEW);
    expect(z).not.toMatch(/Friday|24 hours/);
  });

  it("keeps a PS after the sign-off", () => {
    const z = zone("Thanks for today.\n\nBest,\nHannah\n\nHannah Reid | Consultant\n\nPS I'll ring you on Monday.").text;
    expect(z).toContain("PS I'll ring you on Monday.");
    expect(z).not.toContain("Consultant");
  });

  it("keeps inline answers between > lines", () => {
    const z = zone("> Can you send it?\nYes, I'll send it tomorrow.\n> And the spec?\nThe spec is attached.").text;
    expect(z).toContain("I'll send it tomorrow.");
    expect(z).not.toContain("Can you send it?");
  });

  it("bottom-posted and interleaved replies keep the words after the quote", () => {
    const z = zone("On Tue, Mar 3, 2009 at 10:00 AM, Bob <bob@example.org> wrote:\n> Will you send the patch?\n\nYes, I'll send it tomorrow.\n\n-- \nAlice").text;
    expect(z).toBe("Yes, I'll send it tomorrow.");
    expect(zone("Bob wrote:\n> Can you check?\n\nSure, will check.").text).toBe("Sure, will check.");
  });

  it("drops a forum quote paragraph", () => {
    expect(zone("Quote:\nI'll send it tomorrow\n\nThanks, that fixed it.").text).toBe("Thanks, that fixed it.");
  });

  it("does not take a greeting for a sign-off", () => {
    expect(zone("Hi Jonas,\n\nI'll send it tomorrow.\n\nBest,\nClaudia").text).toContain("I'll send it tomorrow.");
  });
});

describe("htmlToText", () => {
  const cases: [string, string, string[], string[]][] = [
    ["gmail_quote", `<div dir="ltr">${NEW}</div><div class="gmail_quote"><div>On Mon wrote:</div><blockquote class="gmail_quote">I'll send it Friday.</blockquote></div>`, [NEW], ["Friday"]],
    ["Outlook divRplyFwdMsg: everything after it is quoted", `<div>${NEW}</div><hr><div id="divRplyFwdMsg"><b>From:</b> Kate</div><div>I'll send it Friday.</div>`, [NEW], ["Friday", "Kate"]],
    ["Outlook appendonsend", `<div>${NEW}</div><div id="appendonsend"></div><div>I'll send it Friday.</div>`, [NEW], ["Friday"]],
    ["Apple blockquote type=cite", `<div>${NEW}</div><blockquote type="cite"><div>I'll send it Friday.</div></blockquote><div>after</div>`, [NEW, "after"], ["Friday"]],
    ["nested blockquotes", `<p>${NEW}</p><blockquote><blockquote>a</blockquote>I'll send it Friday.</blockquote>`, [NEW], ["Friday"]],
    ["script, style and head dropped", `<html><head><title>t</title><style>p{}</style></head><body><script>var x = "<p>Friday</p>";</script><p>${NEW}</p></body></html>`, [NEW], ["Friday", "var x"]],
    ["gmail signature dropped", `<div>${NEW}</div><div class="gmail_signature">We reply by Friday.</div>`, [NEW], ["Friday"]],
    ["entities decoded", `<p>I&#39;ll call you tomorrow &amp; then&nbsp;Friday&#x2019;s fine &rsquo; &bogus;</p>`, ["I'll call you tomorrow & then Friday’s fine ’ &bogus;"], []],
    ["blocks become lines", `<div>Best,</div><div>Dana</div><p>x</p>`, ["Best,\nDana\n\nx"], []],
  ];
  it.each(cases)("%s", (_name, html, has, hasNot) => {
    const t = htmlToText(html);
    for (const h of has) expect(t).toContain(h);
    for (const h of hasNot) expect(t).not.toContain(h);
  });

  it("survives unclosed tags, stray < and unterminated comments", () => {
    expect(htmlToText("a < b <div class='x")).toBe("a < b");
    expect(htmlToText("ok <!-- never closed")).toBe("ok");
    expect(htmlToText("<blockquote>never closed")).toBe("");
  });
});

describe("isAutoReply", () => {
  const cases: [string, string | undefined, boolean][] = [
    ["Thank you for your email. I am out of the office until 4 January with no access to email.", undefined, true],
    ["I'm away until Monday with limited access to email. I will reply on my return.", undefined, true],
    ["Thanks", "Automatic reply: Invoice", true],
    ["I'll be out of the office tomorrow, so I'll call you on Monday.", undefined, false],
    ["Thanks for the update, I'll send the deck on Friday.", undefined, false],
  ];
  it.each(cases)("%s", (text, subject, expected) => {
    expect(isAutoReply(text, subject)).toBe(expected);
  });
});

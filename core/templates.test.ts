import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES, bareSubject, formatDate, renderHtml, renderText, replySubject, validateTemplateBody } from "./templates";
import { firstName } from "./model";

const values = { firstName: "Ana", subject: "Data Engineer role", nextUpdateDate: "Friday 27 November", myName: "Sam" };

describe("templates", () => {
  it("fills every placeholder in every default", () => {
    for (const t of DEFAULT_TEMPLATES) {
      validateTemplateBody(t.body);
      const text = renderText(t.body, values);
      expect(text).not.toMatch(/\{\{/);
      expect(text).toContain("Friday 27 November");
    }
  });
  it("escapes values and text into HTML", () => {
    const html = renderHtml("Hi {{firstName}},\n\n<b>{{subject}}</b>", { ...values, firstName: "<script>x</script>", subject: "R&D" });
    expect(html).toBe("<p>Hi &lt;script&gt;x&lt;/script&gt;,</p>\n<p>&lt;b&gt;R&amp;D&lt;/b&gt;</p>");
  });
  it("refuses an unknown placeholder and names the allowed ones", () => {
    expect(() => validateTemplateBody("Hi {{frstName}}")).toThrow(/Unknown placeholder \{\{frstName\}\}.*\{\{firstName\}\}/);
    expect(() => validateTemplateBody("   ")).toThrow(/needs some text/);
  });
  it("formats dates in the user's locale", () => {
    expect(formatDate("2026-11-27", "en-GB")).toBe("Friday 27 November");
    expect(formatDate("2026-11-27", "en-US")).toBe("Friday, November 27");
    expect(formatDate("2026-11-27", "not a locale!!")).toBe("Friday 27 November");
  });
  it("gives the year when the date is in another year than today, so January isn't read as the past", () => {
    expect(formatDate("2027-01-04", "en-GB", "2026-12-21")).toBe("Monday, 4 January 2027");
    expect(formatDate("2027-01-04", "en-US", "2026-12-21")).toBe("Monday, January 4, 2027");
    expect(formatDate("2026-12-01", "en-GB", "2027-01-10")).toBe("Tuesday, 1 December 2026");
    expect(formatDate("2026-12-24", "en-GB", "2026-12-21")).toBe("Thursday 24 December");
  });
  it("takes reply and forward prefixes off a subject, German and Nordic ones too", () => {
    expect(bareSubject("AW: SV: Re: Fwd: Offer")).toBe("Offer");
    expect(bareSubject("Awesome role")).toBe("Awesome role");
    expect(replySubject("AW: Offer")).toBe("Re: Offer");
  });
  it("prefixes Re: once", () => {
    expect(replySubject("RE: Re: Fwd: Offer")).toBe("Re: Offer");
    expect(replySubject("")).toBe("Re: (no subject)");
  });
  it.each([
    [{ name: "Ana Silva", address: "a@x.com" }, "Ana"],
    [{ name: "Silva, Ana", address: "a@x.com" }, "Ana"],
    [{ name: null, address: "jonas.weber@x.com" }, "Jonas"],
  ])("first name of %o is %s", (p, expected) => {
    expect(firstName(p)).toBe(expected);
  });
});

// "No news yet" updates: a few good defaults, user-editable, with placeholders
// filled in and HTML-escaped into the reply body.
import { KeptError } from "./errors";
import { parseLocalDate, type LocalDate } from "./time";

export const PLACEHOLDERS = ["firstName", "subject", "nextUpdateDate", "myName"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export interface Template {
  id: string;
  name: string;
  tone: "recruiter" | "general" | "backlog";
  body: string;
}

export const DEFAULT_TEMPLATES: Template[] = [
  {
    id: "recruiter-no-news",
    name: "No news yet (recruiter)",
    tone: "recruiter",
    body:
      "Hi {{firstName}},\n\n" +
      "I wanted to give you a quick update so you're not left wondering: I haven't had feedback from the client yet. " +
      "I've chased them and I'll be back in touch by {{nextUpdateDate}}, sooner if I hear anything.\n\n" +
      "Thanks for your patience,\n{{myName}}",
  },
  {
    id: "general-no-news",
    name: "No news yet",
    tone: "general",
    body:
      "Hi {{firstName}},\n\n" +
      "A quick note on {{subject}}: I don't have an answer for you yet. " +
      "I'll update you by {{nextUpdateDate}}.\n\n" +
      "Best,\n{{myName}}",
  },
  {
    id: "owe-you-an-update",
    name: "I owe you an update",
    tone: "backlog",
    body:
      "Hi {{firstName}},\n\n" +
      "I'm sorry: I said I'd get back to you about {{subject}} and I haven't yet. " +
      "I don't have a final answer, but I haven't forgotten you, and I'll update you by {{nextUpdateDate}}.\n\n" +
      "Apologies again,\n{{myName}}",
  },
];

export type TemplateValues = Record<Placeholder, string>;

const TOKEN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Checks a user's template; the error names the unknown placeholder and the ones allowed. */
export function validateTemplateBody(body: string): void {
  if (body.trim().length === 0) throw new KeptError("bad_request", "A template needs some text.");
  if (body.length > 10_000) throw new KeptError("bad_request", "A template can be at most 10,000 characters.");
  for (const m of body.matchAll(TOKEN)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
      throw new KeptError(
        "bad_request",
        `Unknown placeholder {{${m[1]}}}. Use one of ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}.`,
      );
    }
  }
}

export function renderText(body: string, values: TemplateValues): string {
  return body.replace(TOKEN, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  );
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The reply body as HTML: every value and every line escaped, paragraphs kept. */
export function renderHtml(body: string, values: TemplateValues): string {
  const text = renderText(body, values);
  return text
    .split(/\n{2,}/)
    .map((para) => `<p>${para.split("\n").map(escapeHtml).join("<br>")}</p>`)
    .join("\n");
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, withYear = false): Intl.DateTimeFormat {
  const key = `${withYear ? "y" : "-"}${locale}`;
  let f = dateFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", ...(withYear ? { year: "numeric" } : {}), timeZone: "UTC" });
    } catch {
      f = dateFormat("en-GB", withYear);
    }
    if (dateFormats.size > 200) dateFormats.clear();
    dateFormats.set(key, f);
  }
  return f;
}

/**
 * A date as the user would write it: "Friday 27 November" in en-GB, "Friday,
 * November 27" in en-US; with its year ("Monday, 4 January 2027") when that isn't
 * the year of `today`, so a date across New Year can't be read as the past.
 */
export function formatDate(date: LocalDate, locale: string, today?: LocalDate): string {
  const { year, month, day } = parseLocalDate(date);
  const withYear = today !== undefined && today.slice(0, 4) !== date.slice(0, 4);
  return dateFormat(locale, withYear).format(new Date(Date.UTC(year, month - 1, day)));
}

/** A subject without its reply and forward prefixes (Re:, Fw:, Fwd:, and AW: and SV: from German and Nordic mail). */
export function bareSubject(subject: string): string {
  return subject.replace(/^\s*((re|aw|sv|fw|fwd)\s*:\s*)+/i, "").trim();
}

/** "Re: x" once, however many times it was already prefixed. */
export function replySubject(subject: string): string {
  const bare = bareSubject(subject);
  return `Re: ${bare || "(no subject)"}`;
}

/** An event's text description as HTML: escaped, one line a line. */
export function eventHtml(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"))
    .join("<br>");
}

// Writes samples/sample.mbox: a recruiter's mailbox (Sam Taylor) from October and
// November 2026. Deterministic: run `npx tsx samples/make-sample.ts` after editing.
// renderSample({ shiftWeeks }) writes the same mailbox moved on by whole weeks (so
// "by Friday" still falls on a Friday), which is how `kept scan --sample` and the
// dashboard's sample keep it recent: see sampleShiftWeeks.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { addDays, zonedTimeToInstant } from "../core/time";

/** The Monday after the sample's last message: the day it was written for. */
const WRITTEN_FOR = Date.UTC(2026, 10, 23);
const WEEK = 7 * 86_400_000;

/** Whole weeks to move the sample on so its last message is in the week before `now`'s (never back). */
export function sampleShiftWeeks(now: number): number {
  return Math.max(0, Math.floor((now - WRITTEN_FOR) / WEEK));
}

let shiftDays = 0;

/** A London wall time ("2026-10-05 09:12") moved on by the current shift. */
function shifted(local: string): { date: string; h: number; mi: number } {
  const [d, t] = local.split(" ");
  const [h, mi] = t.split(":").map(Number);
  return { date: addDays(d, shiftDays), h, mi };
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A date written in a message's text, moved with the rest: "Wednesday 14 October", "06 October 2026", "Fri, 23 Oct 2026". */
function day(iso: string, style: "weekday" | "full" | "short"): string {
  const d = addDays(iso, shiftDays);
  const [y, m, da] = d.split("-").map(Number);
  const wd = WEEKDAYS[new Date(Date.UTC(y, m - 1, da)).getUTCDay()];
  if (style === "weekday") return `${wd} ${da} ${MONTHS[m - 1]}`;
  if (style === "full") return `${String(da).padStart(2, "0")} ${MONTHS[m - 1]} ${y}`;
  return `${wd.slice(0, 3)}, ${da} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

const SAM = { name: "Sam Taylor", address: "sam.taylor@example.com" };
type Person = { name: string; address: string };
const P = {
  priya: { name: "Priya Shah", address: "priya.shah@example.org" },
  tom: { name: "Tom Okafor", address: "tom.okafor@example.net" },
  rachel: { name: "Rachel Moore", address: "rachel.moore@example.net" },
  daniel: { name: "Daniel Kim", address: "daniel.kim@example.org" },
  aisha: { name: "Aisha Bello", address: "aisha.bello@example.net" },
  marcus: { name: "Marcus Lee", address: "marcus.lee@example.org" },
  elena: { name: "Elena Rossi", address: "elena.rossi@example.org" },
  james: { name: "James Wright", address: "james.wright@example.net" },
  hannah: { name: "Hannah Wells", address: "hannah.wells@example.org" },
  olivia: { name: "Olivia Brown", address: "olivia.brown@example.org" },
  noah: { name: "Noah Patel", address: "noah.patel@example.net" },
  zoe: { name: "Zoë Müller", address: "zoe.muller@example.org" },
  grace: { name: "Grace Liu", address: "grace.liu@example.net" },
  finance: { name: "Accounts, Harbour Bank", address: "accounts@example.net" },
  news: { name: "Recruiting Weekly", address: "news@example.net" },
} satisfies Record<string, Person>;

interface Msg {
  id: string | null;
  from: Person;
  to: Person[];
  cc?: Person[];
  subject: string;
  date: string; // "2026-10-05 09:12" London time
  inReplyTo?: string;
  references?: string[];
  text?: string;
  html?: string;
  headers?: string[];
  attachment?: { name: string; type: string; content: string };
  raw?: string; // a corrupt message, written as it is
}

/** RFC 2822 date for a London wall time, moved on by the current shift. */
function rfcDate(local: string): string {
  const { date, h, mi } = shifted(local);
  const [y, mo, da] = date.split("-").map(Number);
  const at = zonedTimeToInstant(date, h, mi, "Europe/London");
  const offset = Math.round((Date.UTC(y, mo - 1, da, h, mi) - at) / 60_000);
  const dt = new Date(Date.UTC(y, mo - 1, da, h, mi));
  const wd = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][dt.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][mo - 1];
  const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}${String(Math.abs(offset) % 60).padStart(2, "0")}`;
  return `${wd}, ${da} ${mon} ${y} ${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}:00 ${zone}`;
}

function encodeWord(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;
}
const addr = (p: Person) => `${/[,.]/.test(p.name) ? `"${p.name}"` : encodeWord(p.name)} <${p.address}>`;

function qp(s: string): string {
  return Buffer.from(s, "utf8")
    .toString("latin1")
    .split("\n")
    .map((line) => {
      let out = "";
      for (const ch of line) {
        const c = ch.charCodeAt(0);
        out += c > 126 || ch === "=" ? "=" + c.toString(16).toUpperCase().padStart(2, "0") : ch;
      }
      const parts: string[] = [];
      while (out.length > 75) {
        let cut = 75;
        while (out[cut - 1] === "=" || out[cut - 2] === "=") cut--;
        parts.push(out.slice(0, cut) + "=");
        out = out.slice(cut);
      }
      parts.push(out);
      return parts.join("\n");
    })
    .join("\n");
}

function render(m: Msg, n: number): string {
  if (m.raw) return m.raw;
  const h: string[] = [];
  h.push(`From: ${addr(m.from)}`);
  h.push(`To: ${m.to.map(addr).join(", ")}`);
  if (m.cc?.length) h.push(`Cc: ${m.cc.map(addr).join(", ")}`);
  h.push(`Subject: ${encodeWord(m.subject)}`);
  h.push(`Date: ${rfcDate(m.date)}`);
  if (m.id) h.push(`Message-ID: <${m.id}>`);
  if (m.inReplyTo) h.push(`In-Reply-To: <${m.inReplyTo}>`);
  if (m.references?.length) h.push(`References: ${m.references.map((r) => `<${r}>`).join("\n ")}`);
  h.push(...(m.headers ?? []));
  h.push("MIME-Version: 1.0");
  const b = `----=_Part_${n}_kept`;
  const textPart = (t: string) => `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp(t)}`;
  const htmlPart = (t: string) => `Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp(t)}`;
  let body: string;
  if (m.text && m.html) {
    body = `Content-Type: multipart/alternative; boundary="${b}"\n\n--${b}\n${textPart(m.text)}\n--${b}\n${htmlPart(m.html)}\n--${b}--\n`;
  } else if (m.html) body = htmlPart(m.html) + "\n";
  else body = textPart(m.text ?? "") + "\n";
  if (m.attachment) {
    const outer = `----=_Mixed_${n}_kept`;
    const a = m.attachment;
    const b64 = Buffer.from(a.content).toString("base64").replace(/.{76}/g, "$&\n");
    body =
      `Content-Type: multipart/mixed; boundary="${outer}"\n\n--${outer}\n${body}\n--${outer}\n` +
      `Content-Type: ${a.type}; name="${a.name}"\nContent-Disposition: attachment; filename="${a.name}"\nContent-Transfer-Encoding: base64\n\n${b64}\n--${outer}--\n`;
  }
  return h.join("\n") + "\n" + body;
}

const sig = "\n\n--\nSam Taylor\nSenior Recruiter, Taylor & Finch Talent\n+44 20 7946 0000";
const quote = (who: Person, local: string, text: string) =>
  `\n\nOn ${rfcDate(local).slice(0, 16)}, ${who.name} <${who.address}> wrote:\n` + text.split("\n").map((l) => `> ${l}`).join("\n");

// Thread helpers: each reply names its parent and the whole chain.
const chain: Record<string, string[]> = {};
function reply(parent: string, id: string): { inReplyTo: string; references: string[] } {
  const refs = [...(chain[parent] ?? []), parent];
  chain[id] = refs;
  return { inReplyTo: parent, references: refs };
}

const priya1 = "Hi Sam,\n\nPlease find my CV attached for the Senior Data Analyst role at Harbour Bank.\nI'm available to interview any day next week.\n\nBest wishes,\nPriya";
const sam2 = "Hi Priya,\n\nThanks for sending this over. I've passed your CV to the hiring manager and I'll get back to you by Friday with their thoughts.\n\nBest,\nSam";
const tom1 = "Hi Sam,\n\nJust checking where things stand with the Product Designer role at Lumen Studio? I have another process moving quickly.\n\nThanks,\nTom";
const sam_tom = "Hi Tom,\n\nThanks for flagging that. The client is reviewing portfolios this week; I'll let you know as soon as I hear from them, hopefully by the end of next week.\n\nBest,\nSam";
const marcus1 = "Hi Sam,\n\nAny update on the Operations Lead role at Orbit Logistics?\n\nCheers,\nMarcus";
const james1 = "Sam,\n\nSee below from finance. Can you put a hiring plan together for the three Q1 roles?\n\nJames";

/** The mailbox, written at the current shift (the dates in its text move too). */
const buildMessages = (): Msg[] => [
  // 1. An old promise, forgotten: a call promised for the next day, never made.
  { id: "sam-0001@mail.example.com", from: SAM, to: [P.daniel], subject: "Contract Data Engineer role", date: "2026-10-02 16:40",
    text: "Hi Daniel,\n\nGood to speak earlier. I'll call you tomorrow to talk through the contract terms and the day rate." + sig },

  // 2. Priya applies; Sam promises by Friday and keeps it on Thursday (with another promise inside, kept next day).
  { id: "CAF-priya-1@mail.example.org", from: P.priya, to: [SAM], subject: "Senior Data Analyst – Harbour Bank", date: "2026-10-05 08:55", text: priya1,
    attachment: { name: "Priya_Shah_CV.txt", type: "text/plain", content: "Priya Shah\nSenior Data Analyst\n8 years SQL, Python, dbt\n" } },
  { id: "sam-0002@mail.example.com", from: SAM, to: [P.priya], subject: "Re: Senior Data Analyst – Harbour Bank", date: "2026-10-05 11:20",
    ...reply("CAF-priya-1@mail.example.org", "sam-0002@mail.example.com"),
    text: sam2 + quote(P.priya, "2026-10-05 08:55", priya1),
    html: `<div>Hi Priya,</div><div><br></div><div>Thanks for sending this over. I've passed your CV to the hiring manager and <b>I'll get back to you by Friday</b> with their thoughts.</div><div><br></div><div>Best,<br>Sam</div><blockquote type="cite">${priya1.replace(/\n/g, "<br>")}</blockquote>` },

  // 3. Sam shares the CV with the hiring manager and promises two more profiles by Wednesday.
  { id: "sam-0003@mail.example.com", from: SAM, to: [P.rachel], subject: "Candidate for Senior Data Analyst: Priya Shah", date: "2026-10-06 10:05",
    text: "Hi Rachel,\n\nSharing Priya Shah's CV for the Senior Data Analyst opening; a strong SQL and dbt background.\nI'll send two more profiles over by Wednesday." + sig },
  { id: "CAB-rachel-1@mail.example.net", from: P.rachel, to: [SAM], subject: "RE: Candidate for Senior Data Analyst: Priya Shah", date: "2026-10-07 09:30",
    ...reply("sam-0003@mail.example.com", "CAB-rachel-1@mail.example.net"),
    text: `Thanks Sam, keen to meet Priya. Looking forward to the other two.\n\nRachel\n\n-----Original Message-----\nFrom: Sam Taylor <sam.taylor@example.com>\nSent: ${day("2026-10-06", "full")} 10:05\nSubject: Candidate for Senior Data Analyst: Priya Shah\n\nI'll send two more profiles over by Wednesday.` },
  { id: "sam-0004@mail.example.com", from: SAM, to: [P.rachel], subject: "RE: Candidate for Senior Data Analyst: Priya Shah", date: "2026-10-07 17:10",
    ...reply("CAB-rachel-1@mail.example.net", "sam-0004@mail.example.com"),
    text: "Hi Rachel,\n\nAs promised, here are the two other profiles: Grace Liu and Ahmed Karimi. Both can interview next week." + sig },
  { id: "sam-0005@mail.example.com", from: SAM, to: [P.priya], subject: "Re: Senior Data Analyst – Harbour Bank", date: "2026-10-08 15:45",
    ...reply("sam-0002@mail.example.com", "sam-0005@mail.example.com"),
    text: "Hi Priya,\n\nGood news: Rachel would like to meet you. I'll send the interview details tomorrow morning.\n\nBest,\nSam" + quote(SAM, "2026-10-05 11:20", sam2) },
  { id: "sam-0006@mail.example.com", from: SAM, to: [P.priya], subject: "Re: Senior Data Analyst – Harbour Bank", date: "2026-10-09 09:05",
    ...reply("sam-0005@mail.example.com", "sam-0006@mail.example.com"),
    text: `Hi Priya,\n\nInterview confirmed: ${day("2026-10-14", "weekday")} at 2pm, Harbour Bank, 1 Canada Square. Ask for Rachel Moore at reception.\n\nGood luck!\nSam` },

  // 4. Newsletters: list mail, never a counterpart.
  { id: "rw-2026-41@example.net", from: P.news, to: [SAM], subject: "Recruiting Weekly: salary bands in data roles", date: "2026-10-09 07:00",
    headers: ["List-Id: Recruiting Weekly <weekly.example.net>", "List-Unsubscribe: <mailto:unsubscribe@example.net>", "Precedence: bulk"],
    html: "<h1>Recruiting Weekly</h1><p>From the desk: salary bands in data roles rose 4% this quarter.</p>" },

  // 5. Tom asks; Sam promises by the end of next week; Tom chases; still open.
  { id: "tom-1@mail.example.net", from: P.tom, to: [SAM], subject: "Product Designer role – Lumen Studio", date: "2026-10-12 18:02", text: tom1 },
  { id: "sam-0007@mail.example.com", from: SAM, to: [P.tom], subject: "Re: Product Designer role – Lumen Studio", date: "2026-10-13 09:15",
    ...reply("tom-1@mail.example.net", "sam-0007@mail.example.com"), text: sam_tom + quote(P.tom, "2026-10-12 18:02", tom1) },

  // 6. Another forgotten promise.
  { id: "sam-0008@mail.example.com", from: SAM, to: [P.aisha], subject: "Head of Payroll – next steps", date: "2026-10-14 14:30",
    text: "Hi Aisha,\n\nLovely to meet you this morning. I'll send over the full job spec tomorrow, along with the benefits summary.\n\nBest,\nSam" },

  // 7. A note to self: nobody else on it, so skipped.
  { id: "sam-0009@mail.example.com", from: SAM, to: [SAM], subject: "Note to self: Harbour Bank invoices", date: "2026-10-15 08:00",
    text: "I'll chase the Harbour Bank invoices on Monday." },

  // 8. Elena's out-of-office answers Sam's promise; it is not a chase. Sam keeps the promise on Thursday.
  { id: "sam-0010@mail.example.com", from: SAM, to: [P.elena], subject: "Shortlist for the Marketing Manager search", date: "2026-10-19 10:00",
    text: "Hi Elena,\n\nThanks for the brief. I'll send you the shortlist by Thursday." + sig },
  { id: "oof-elena-1@mail.example.org", from: P.elena, to: [SAM], subject: "Automatic reply: Shortlist for the Marketing Manager search", date: "2026-10-19 10:00",
    ...reply("sam-0010@mail.example.com", "oof-elena-1@mail.example.org"),
    headers: ["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"],
    text: `I am out of the office until ${day("2026-10-21", "weekday")} with limited access to email. I will reply on my return.` },
  { id: "sam-0011@mail.example.com", from: SAM, to: [P.elena], subject: "Re: Shortlist for the Marketing Manager search", date: "2026-10-22 16:20",
    ...reply("sam-0010@mail.example.com", "sam-0011@mail.example.com"),
    text: "Hi Elena,\n\nHere is the shortlist: four candidates, CVs attached to the shared folder. From what I've seen, the first two are the strongest.\n\nBest,\nSam" },

  // 9. Marcus: a promise, a chase, and then bad news (which keeps the promise and makes a new, implicit one).
  { id: "sam-0012@mail.example.com", from: SAM, to: [P.marcus], subject: "Operations Lead – Orbit Logistics", date: "2026-10-20 12:00",
    text: "Hi Marcus,\n\nYour application is with Orbit Logistics. I'll let you know once I have feedback from the client.\n\nBest,\nSam" },
  { id: "marcus-1@mail.example.org", from: P.marcus, to: [SAM], subject: "Re: Operations Lead – Orbit Logistics", date: "2026-10-29 08:47",
    ...reply("sam-0012@mail.example.com", "marcus-1@mail.example.org"), text: marcus1 },
  { id: "sam-0013@mail.example.com", from: SAM, to: [P.marcus], subject: "Re: Operations Lead – Orbit Logistics", date: "2026-11-03 11:30",
    ...reply("marcus-1@mail.example.org", "sam-0013@mail.example.com"),
    text: "Hi Marcus,\n\nThank you for your patience. Unfortunately the client has decided not to progress with your application; they went with an internal candidate.\nI'm sorry it isn't better news. I'll be in touch when something closer to your background comes up.\n\nBest,\nSam" + quote(P.marcus, "2026-10-29 08:47", marcus1) },

  // 10. A message with no Message-ID (some older clients): it gets a stable synthetic id.
  { id: null, from: P.grace, to: [SAM], subject: "Thank you", date: "2026-10-21 19:30",
    text: "Hi Sam,\n\nThanks for putting me forward to Harbour Bank. Happy to be considered for similar roles.\n\nGrace" },

  // 11. Proposals and requests: not promises.
  { id: "sam-0014@mail.example.com", from: SAM, to: [P.grace], subject: "Catch-up", date: "2026-10-22 09:00",
    text: "Hi Grace,\n\nLet's catch up next week. Could you send me your availability by Friday?\n\nSam" },

  // 12. The corrupt message: a damaged header block in the middle of the file.
  { id: null, from: SAM, to: [], subject: "", date: "2026-10-23 00:00",
    raw: "\u0000\u0001\u0002\u0003 <binary junk from a broken export>\nX-Broken\nthis header block is damaged\n\nbody that nobody can place\n" },

  // 13. Forwarded message from a hiring manager; Sam promises a plan; James chases; open.
  { id: "james-1@mail.example.net", from: P.james, to: [SAM], subject: "Fwd: Budget approval for Q1 hires", date: "2026-10-26 08:30",
    text: james1 + `\n\n---------- Forwarded message ---------\nFrom: Accounts, Harbour Bank <accounts@example.net>\nDate: ${day("2026-10-23", "short")} at 17:02\nSubject: Budget approval for Q1 hires\nTo: James Wright <james.wright@example.net>\n\nBudget for three Q1 hires is approved. We will send the purchase order next week.` },
  { id: "sam-0015@mail.example.com", from: SAM, to: [P.james], subject: "Re: Fwd: Budget approval for Q1 hires", date: "2026-10-26 10:10",
    ...reply("james-1@mail.example.net", "sam-0015@mail.example.com"),
    text: "Thanks James, leave it with me. I'll come back to you with a hiring plan early next week." + sig + quote(P.james, "2026-10-26 08:30", james1) },
  { id: "rw-2026-44@example.net", from: P.news, to: [SAM], subject: "Recruiting Weekly: the Q1 hiring outlook", date: "2026-10-30 07:00",
    headers: ["List-Id: Recruiting Weekly <weekly.example.net>", "List-Unsubscribe: <mailto:unsubscribe@example.net>"],
    text: "Q1 outlook: hiring plans steady, data roles in demand." },
  { id: "tom-2@mail.example.net", from: P.tom, to: [SAM], subject: "Re: Product Designer role – Lumen Studio", date: "2026-10-27 17:55",
    ...reply("sam-0007@mail.example.com", "tom-2@mail.example.net"), text: "Hi Sam,\n\nAny news from Lumen Studio?\n\nTom" },
  { id: "james-2@mail.example.net", from: P.james, to: [SAM], subject: "Re: Fwd: Budget approval for Q1 hires", date: "2026-11-04 13:12",
    ...reply("sam-0015@mail.example.com", "james-2@mail.example.net"), text: "Hi Sam, did you get a chance to put the plan together? Finance are asking.\n\nJames" },

  // 14. A promise with no date to a candidate with a non-ASCII name; nothing since.
  { id: "zoe-1@mail.example.org", from: P.zoe, to: [SAM], subject: "Interim Finance Director", date: "2026-11-04 09:00",
    text: "Hallo Sam,\n\nIch bin ab Januar verfügbar – happy to continue in English. Is the Zürich role still open?\n\nZoë" },
  { id: "sam-0016@mail.example.com", from: SAM, to: [P.zoe], subject: "Re: Interim Finance Director", date: "2026-11-05 10:30",
    ...reply("zoe-1@mail.example.org", "sam-0016@mail.example.com"),
    text: "Hi Zoë,\n\nYes, it is still open. I've asked the client about the start date and I'll keep you posted.\n\nBest,\nSam" },

  // 15. HTML-only mail, kept three days later.
  { id: "hannah-1@mail.example.org", from: P.hannah, to: [SAM], subject: "Salary range for the UX Researcher role?", date: "2026-11-09 12:00",
    html: "<p>Hi Sam,</p><p>Before I apply, could you tell me the salary range for the UX Researcher role?</p><p>Thanks,<br>Hannah</p>" },
  { id: "sam-0017@mail.example.com", from: SAM, to: [P.hannah], subject: "RE: Salary range for the UX Researcher role?", date: "2026-11-09 14:20",
    ...reply("hannah-1@mail.example.org", "sam-0017@mail.example.com"),
    html: "<html><body><p>Hi Hannah,</p><p>Good question &ndash; I will get back to you with the range by Thursday once the client confirms it.</p><p>Sam</p></body></html>" },
  { id: "sam-0018@mail.example.com", from: SAM, to: [P.hannah], subject: "RE: Salary range for the UX Researcher role?", date: "2026-11-12 11:05",
    ...reply("sam-0017@mail.example.com", "sam-0018@mail.example.com"),
    html: "<p>Hi Hannah,</p><p>The range is &pound;55,000&ndash;&pound;62,000 plus a 10% bonus.</p><p>Sam</p>" },

  // 16. Olivia: promise, chase, then kept after the chase.
  { id: "sam-0019@mail.example.com", from: SAM, to: [P.olivia], cc: [P.rachel], subject: "Second interview – Harbour Bank", date: "2026-11-10 16:00",
    text: "Hi Olivia,\n\nThanks for your time today; the first interview went well. I'll get back to you by Friday about a second interview.\n\nBest,\nSam" },
  { id: "olivia-1@mail.example.org", from: P.olivia, to: [SAM], subject: "Re: Second interview – Harbour Bank", date: "2026-11-16 08:40",
    ...reply("sam-0019@mail.example.com", "olivia-1@mail.example.org"), text: "Hi Sam,\n\nAny news on the second interview?\n\nOlivia" },
  { id: "sam-0020@mail.example.com", from: SAM, to: [P.olivia], subject: "Re: Second interview – Harbour Bank", date: "2026-11-16 12:15",
    ...reply("olivia-1@mail.example.org", "sam-0020@mail.example.com"),
    text: "Hi Olivia,\n\nSorry for the wait. Good news: they would like to see you on Thursday at 10am.\n\nSam" },

  // 17. Inbound mail Sam hasn't answered (no promise, nothing to track).
  { id: "priya-2@mail.example.org", from: P.priya, to: [SAM], subject: "Re: Senior Data Analyst – Harbour Bank", date: "2026-11-17 18:00",
    ...reply("sam-0006@mail.example.com", "priya-2@mail.example.org"),
    text: "Hi Sam,\n\nJust to say the interview went well, thank you for the preparation notes.\n\nPriya" },
  { id: "finance-1@mail.example.net", from: P.finance, to: [SAM], subject: "Invoice 2026-118 paid", date: "2026-11-18 09:00",
    text: "Dear Sam,\n\nInvoice 2026-118 has been paid.\n\nAccounts" },

  // 18. A reply that lost its References (some mobile clients): joined by subject.
  { id: "grace-2@mail.example.net", from: P.grace, to: [SAM], subject: "Re: Catch-up", date: "2026-11-19 20:10",
    text: "Hi Sam, sorry for the slow reply. Tuesday or Wednesday afternoon works.\n\nGrace" },
  { id: "sam-0021@mail.example.com", from: SAM, to: [P.grace], subject: "Re: Catch-up", date: "2026-11-20 09:00",
    ...reply("grace-2@mail.example.net", "sam-0021@mail.example.com"),
    text: "Great, Wednesday at 3pm it is. I'll send a calendar invite later today.\n\nSam" },

  // 19. Recent promises, not yet due when the mailbox ends.
  { id: "sam-0022@mail.example.com", from: SAM, to: [P.noah], subject: "Offer – Platform Engineer", date: "2026-11-20 15:00",
    text: "Hi Noah,\n\nCongratulations again! I'll send the offer paperwork by the end of the month.\n\nBest,\nSam" },
  { id: "noah-1@mail.example.net", from: P.noah, to: [SAM], subject: "Re: Offer – Platform Engineer", date: "2026-11-20 16:30",
    ...reply("sam-0022@mail.example.com", "noah-1@mail.example.net"), text: "Thanks Sam, very excited. Speak soon!\n\nNoah" },
  { id: "sam-0023@mail.example.com", from: SAM, to: [P.tom], subject: "Re: Product Designer role – Lumen Studio", date: "2026-11-20 17:45",
    ...reply("tom-2@mail.example.net", "sam-0023@mail.example.com"),
    text: "Hi Tom,\n\nApologies, I've chased Lumen Studio again today; no decision yet. I hope to have news by Friday." },
];

export function renderSample(opts: { shiftWeeks?: number } = {}): string {
  shiftDays = 7 * (opts.shiftWeeks ?? 0);
  for (const k of Object.keys(chain)) delete chain[k];
  const sorted = buildMessages().map((m, n) => ({ m, n }));
  let out = "";
  for (const { m, n } of sorted) {
    const sender = m.from.address;
    const d = new Date(rfcDate(m.date));
    const postmark = `From ${sender} ${d.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, "$1 $3 $2 $5 $4")}`;
    // mboxrd: quote From lines in the body, end with a blank line.
    let body = render(m, n).replace(/^(>*From )/gm, ">$1");
    if (!body.endsWith("\n")) body += "\n";
    out += `${postmark}\n${body}\n`;
  }
  return out;
}

export const SAMPLE_COUNT = buildMessages().length;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = fileURLToPath(new URL("./sample.mbox", import.meta.url));
  writeFileSync(target, renderSample());
  console.log(`wrote ${SAMPLE_COUNT} messages to ${target}`);
}

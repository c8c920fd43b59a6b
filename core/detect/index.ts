// The promise detector: finds the sender's promises (and bad news) in the new
// text of one sent message and resolves stated due dates in the sender's zone.
// Pure: no I/O, no clock; runs unchanged in Node, Workers and the browser.

import { KeptError } from "../errors";
import { isValidTimeZone, toLocalDate, zonedParts, type LocalDate } from "../time";
import { findBadNews } from "./badnews";
import { fallbackDate, findDates, type DateHit } from "./dates";
import { findPromises, isImplicitPromise, mayBeImplicitPromise, type CommitmentKind, type PromiseHit } from "./grammar";
import { htmlToText } from "./html";
import { splitSentences, type Span } from "./sentences";
import { tokenize, type Tokenized } from "./tokens";
import { isAutoReply, zone } from "./zone";

export interface DetectInput {
  text?: string;
  html?: string;
  sentAt: string | number | Date;
  timeZone: string;
  locale?: string;
  subject?: string;
}

export interface DetectedCommitment {
  /** The sentence as written (trimmed), capped at 500 characters. */
  sentence: string;
  /** Character span of the sentence in `cleanedText`. */
  span: [number, number];
  /** The phrase that made it a promise, e.g. "I'll get back to you". */
  trigger: string;
  kind: CommitmentKind;
  confidence: number;
  /** YYYY-MM-DD in the sender's zone. */
  dueDate: string | null;
  dueSource: "stated" | "none";
  /** The words the date came from, e.g. "by Friday". */
  duePhrase: string | null;
}

export interface BadNews {
  sentence: string;
  span: [number, number];
  trigger: string;
  confidence: number;
}

export interface Detection {
  cleanedText: string;
  autoReply: boolean;
  commitments: DetectedCommitment[];
  badNews: BadNews | null;
  /** The earliest stated due date. */
  dueDate: string | null;
}

export type { CommitmentKind };

const MAX_SENTENCE_OUT = 500;
// Cheap gates before tokenising: a promise needs a commitment cue and a
// communication word; bad news needs one of its cue words.
const COMMITMENT_CUE = /\b(?:i|we|will|shall|going|gonna|ill|let|lemme|you|u|expect|revert|reverting|back|leave|follow)\b|['’]ll\b|\bwon['’]t\b/i;
const COMM_CUE = /\b(?:back|revert|answer|know|touch|updat|follow|call|ring|phon|e-?mail|messag|text|ping|send|sending|shar|forward|provid|deliver|ship|dispatch|confirm|hav|get|contact|reach|repl|respond|hear|expect|leave|keep|line|shout|writ|speak|talk|chat|brief|notify|inform|advise|issue|circulate|post|pick|take|catch|base|loop|report|feed|swing|give|drop|shoot|pass|fax|fedex|courier|messenger|overnight|mail)/i;
// every bad-news cue (badnews.ts) holds one of these stems; "not"/"no" alone are too common to gate on
const BAD_CUE = /decid|decision|chosen|opted|agreed|forward|further|through|stage|round|ahead|progress|proceed|continu|renew|\bable\b|success|shortlist|select|fill|clos|cancel|withdr|scrap|pull|froz|freez|hold|paus|shelv|suspend|rescind|retract|revok|another|different|internal|\bother|someone|somebody|award|agency|vendor|supplier|provider|recruiter|firm|partner|declin|reject|turned down|accept|approv|(?:['’]s|\bis|\bwas|\bsaid|\ba) no\b|pass|longer|\boff\b|regret|budget|funding|position/i;

/** Parse and check the arguments a caller can get wrong; everything else never throws. */
function sendingDay(sentAt: DetectInput["sentAt"], timeZone: string): LocalDate {
  if (typeof timeZone !== "string" || !isValidTimeZone(timeZone)) {
    throw new KeptError("bad_request", `timeZone ${JSON.stringify(String(timeZone)).slice(0, 80)} is not an IANA time zone; pass one such as "Europe/London"`);
  }
  const ms = sentAt instanceof Date ? sentAt.getTime() : typeof sentAt === "number" ? sentAt : typeof sentAt === "string" ? Date.parse(sentAt) : NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new KeptError("bad_request", `sentAt ${JSON.stringify(String(sentAt)).slice(0, 80)} is not a valid instant; pass an ISO 8601 string with an offset, epoch milliseconds or a Date`);
  }
  return localDay(ms, timeZone);
}

// Intl's formatToParts costs microseconds a call. Offsets only change at DST
// transitions, months apart, so each zone keeps a few spans of time over which
// its offset was checked to be constant (equal at both ends and in the middle).
const SPAN = 7 * 86_400_000;
const MAX_SPANS = 64;
interface OffsetSpan { from: number; to: number; offset: number }
const spans = new Map<string, OffsetSpan[]>();
function offsetAt(ms: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}
function fromOffset(ms: number, offset: number): LocalDate {
  const d = new Date(ms + offset);
  return toLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
/** The local calendar day of an instant in a zone (same answer as time.localDateOf). */
export function localDay(ms: number, timeZone: string): LocalDate {
  let list = spans.get(timeZone);
  if (list) {
    for (const w of list) if (ms >= w.from && ms <= w.to) return fromOffset(ms, w.offset);
  } else {
    if (spans.size > 512) spans.clear();
    list = [];
    spans.set(timeZone, list);
  }
  const offset = offsetAt(ms, timeZone);
  if (Math.abs(ms) < 8.64e15 - SPAN && offsetAt(ms - SPAN, timeZone) === offset && offsetAt(ms + SPAN, timeZone) === offset) {
    if (list.length >= MAX_SPANS) list.shift();
    list.push({ from: ms - SPAN, to: ms + SPAN, offset });
  }
  return fromOffset(ms, offset);
}

const MONTH_FIRST_REGIONS = new Set(["US", "PH", "FM", "MH", "PW", "UM", "AS", "GU", "MP", "PR", "VI", "CA"]);
/** Numeric dates are day first except where the locale (or, lacking one, the zone) is American. */
function isDayFirst(locale: string | undefined, timeZone: string): boolean {
  if (typeof locale === "string" && locale.length > 0) {
    const region = /[-_]([A-Za-z]{2})\b/.exec(locale)?.[1]?.toUpperCase();
    if (region) return !MONTH_FIRST_REGIONS.has(region);
    return !/^en$/i.test(locale);
  }
  return !/^America\//.test(timeZone) || /^America\/(?:Sao_Paulo|Argentina|Bogota|Lima|Santiago|Caracas|Mexico_City|Montevideo)/.test(timeZone);
}

const LEAD_CLAUSE = /^(?:when|once|after|as|if)$/;

function cap(s: string): string {
  return s.length <= MAX_SENTENCE_OUT ? s : s.slice(0, MAX_SENTENCE_OUT);
}

const BOUND = /^(?:until|till|til|before)$/;
function datePhrase(d: DateHit, tk: Tokenized, sentence: string): string {
  return sentence.slice(tk.tokens[d.phraseFrom].s, tk.tokens[d.to].e);
}
/** "until Friday", or a phrase that starts with its own bound ("before May") */
function isBound(d: DateHit, tk: Tokenized): boolean {
  return (d.prep !== null && BOUND.test(d.prep)) || BOUND.test(tk.tokens[d.from].n);
}
function hasThen(tk: Tokenized, from: number, to: number): boolean {
  const end = Math.min(to + 1, tk.tokens.length);
  for (let i = from; i < end; i++) if (tk.tokens[i].n === "then") return true;
  return false;
}

/** The date of one promise: after its verb in the same clause, then before it, then (rarely) before its subject. */
function dueOf(hit: PromiseHit, dates: DateHit[], tk: Tokenized, sentence: string, send: LocalDate, dayFirst: boolean): { date: string; phrase: string } | null {
  const inScope: DateHit[] = [];
  for (const d of dates) if (d.from >= hit.scopeFrom && d.from <= hit.scopeTo) inScope.push(d);
  if (hit.negated) {
    for (const b of inScope) if (isBound(b, tk)) return { date: b.date, phrase: datePhrase(b, tk, sentence) };
    return null;
  }
  let pick: DateHit | undefined;
  for (const d of inScope) if (!d.clock) { pick = d; break; }
  if (pick === undefined) pick = inScope[0];
  if (pick) return { date: pick.date, phrase: datePhrase(pick, tk, sentence) };
  for (const d of dates) {
    if (d.from >= hit.frameFrom && d.to < hit.scopeFrom && !d.clock) return { date: d.date, phrase: datePhrase(d, tk, sentence) };
  }
  // "… confirm by Friday and I'll update you then": "then" points back to the last date before the promise
  if (hit.scopeFrom < tk.tokens.length && hasThen(tk, hit.scopeFrom, hit.scopeTo)) {
    let last: DateHit | undefined;
    for (const d of dates) if (d.to < hit.frameFrom && !d.clock) last = d;
    if (last) return { date: last.date, phrase: datePhrase(last, tk, sentence) };
  }
  // a date leading the sentence or its opening clause: "On Friday I'll …", "When I'm back on the 20th I'll …",
  // "Give me a day or two and I'll …", or right before the subject ("…, tomorrow I'll ring you")
  const opensWithClause = tk.tokens.length > 0 && LEAD_CLAUSE.test(tk.tokens[0].n);
  for (const d of dates) {
    if (d.to < hit.frameFrom && !d.clock && (d.phraseFrom <= 1 || opensWithClause ||
      (d.from >= 2 && tk.tokens[d.from - 2].n === "give" && tk.tokens[d.from - 1].n === "me") ||
      d.to + 1 === hit.frameFrom || (d.to + 2 === hit.frameFrom && tk.tokens[d.to + 1].n === ","))) {
      return { date: d.date, phrase: datePhrase(d, tk, sentence) };
    }
  }
  // chrono, for an absolute date the grammar did not know
  if (hit.scopeFrom <= hit.scopeTo && hit.scopeFrom < tk.tokens.length) {
    const a = tk.tokens[hit.scopeFrom].s;
    const b = tk.tokens[Math.min(hit.scopeTo, tk.tokens.length - 1)].e;
    const f = fallbackDate(sentence.slice(a, b), send, dayFirst);
    if (f) return { date: f.date, phrase: f.text };
  }
  return null;
}

export function detect(input: DetectInput): Detection {
  const send = sendingDay(input.sentAt, input.timeZone);
  const dayFirst = isDayFirst(input.locale, input.timeZone);
  let plain = "";
  if (typeof input.html === "string" && input.html.length > 0) plain = htmlToText(input.html);
  else if (typeof input.text === "string") plain = input.text;
  if (plain.indexOf("\r") >= 0) plain = plain.replace(/\r\n?/g, "\n");
  const cleanedText = zone(plain).text;
  const autoReply = isAutoReply(cleanedText, typeof input.subject === "string" ? input.subject : undefined);

  const spans = splitSentences(cleanedText);
  const commitments: DetectedCommitment[] = [];
  let badNews: BadNews | null = null;
  let nextTk: Tokenized | null = null;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const sentence = cleanedText.slice(span[0], span[1]);
    const maybePromise = !autoReply && COMMITMENT_CUE.test(sentence) && COMM_CUE.test(sentence);
    const maybeBad = BAD_CUE.test(sentence);
    if (!maybePromise && !maybeBad) { nextTk = null; continue; }
    const tk = nextTk ?? tokenize(sentence);
    nextTk = null;
    const bn = maybeBad ? findBadNews(tk) : null;
    if (bn && (!badNews || bn.confidence > badNews.confidence)) {
      badNews = {
        sentence: cap(sentence),
        span: [span[0], span[1]],
        trigger: sentence.slice(tk.tokens[bn.from].s, tk.tokens[bn.to].e),
        confidence: bn.confidence,
      };
    }
    if (!maybePromise) continue;
    const hits = findPromises(tk);
    if (hits.length === 0) {
      if (!mayBeImplicitPromise(tk.norm)) continue;
      const next: Span | undefined = spans[i + 1];
      nextTk = next ? tokenize(cleanedText.slice(next[0], next[1])) : null;
      if (isImplicitPromise(tk.norm, nextTk ? nextTk.norm : null)) {
        commitments.push({
          sentence: cap(sentence), span: [span[0], span[1]], trigger: sentence.trim(), kind: "implicit",
          confidence: 0.5, dueDate: null, dueSource: "none", duePhrase: null,
        });
      }
      continue;
    }
    const dates = findDates(tk, send, dayFirst);
    for (const h of hits) {
      const due = dueOf(h, dates, tk, sentence, send, dayFirst);
      if (h.negated && !due) continue;
      commitments.push({
        sentence: cap(sentence),
        span: [span[0], span[1]],
        trigger: sentence.slice(tk.tokens[h.from].s, tk.tokens[h.to].e),
        kind: h.kind,
        confidence: h.confidence,
        dueDate: due ? due.date : null,
        dueSource: due ? "stated" : "none",
        duePhrase: due ? due.phrase : null,
      });
    }
  }
  let dueDate: string | null = null;
  for (const c of commitments) if (c.dueDate && (!dueDate || c.dueDate < dueDate)) dueDate = c.dueDate;
  return { cleanedText, autoReply, commitments, badNews, dueDate };
}

// The zoner: keeps the sender's own new text of a plain-text message and drops
// quoted history, forwarded messages and the signature (a PS after the
// sign-off is kept). Line-based and linear.

const ON_WROTE_START = /^(?:on|le|am|el|il|op|em|den|på)\s.{0,300}$/i;
const WROTE_END = /(?:wrote|writes|a écrit|schrieb|escribió|ha scritto|schreef|escreveu|skrev)\s*(?::\s*)?$/i;
const WROTE_TAIL = /(?:wrote|writes|écrit|schrieb|escribió|scritto|schreef|escreveu|skrev)\s*(?::\s*)?$/i;
const ADDRESS_WROTE = /^.{0,200}(?:@|<[^>]{0,100}>|\d).{0,200}\bwrote\s*:\s*$/i;
const FORWARD = /^(?:-{2,}\s*(?:original message|forwarded message|forwarded by|weitergeleitete nachricht|message d'origine|mensaje original)\b.{0,200}$|begin forwarded message\s*:?$|-{3,}\s*original\s*-{3,}$|forwarded message\s*:?$)/i;
const NAMED_WROTE = /^[\p{L}][\p{L} .,'’"()-]{1,80} (?:wrote|writes)\s*:$|^quoting .{1,120}:$|^in (?:article|message) .{1,160} wrote:$/iu;
const QUOTE_INTRO = /^(?:quote:?|originally posted by .{1,80}|.{1,60} said:|\[quote.{0,80}\])$/i;
const HEADER_ANY = /^\*{0,2}(?:to|cc|bcc|subject|sent|date|from)\s*:/i;
const RULE = /^(?:_{8,}|-{8,}|={8,}|\*{8,})$/;
const HEADER_FROM = /^\*{0,2}(?:from|von|de|van|da)\s*:\*{0,2}\s*\S/i;
const HEADER_OTHER = /^\*{0,2}(?:sent|date|to|subject|cc|datum|an|betreff|envoyé|objet|enviado|para|asunto)\s*:\*{0,2}/i;
const SIG_DASH = /^-- ?$|^—$/;
const SENT_FROM = /^(?:sent from my |sent from (?:outlook|mail for|yahoo|samsung|gmail|proton)|sent via |get outlook for |sent with |sent from the )/i;
const PS = /^(?:p\.?\s?s\.?|pps\.?)(?:\s|:|,|-|$)/i;
const GREETING = /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening|day)|morning|afternoon|evening|hiya|greetings|to whom|howdy|yo)\b/i;
const SIGN_OFF = /^(?:best|best regards|kind regards|kindest regards|regards|warm regards|warmest regards|warm wishes|many thanks|thanks|thank you|thanks again|thanks so much|thank you so much|cheers|sincerely|yours sincerely|yours faithfully|yours truly|faithfully|best wishes|with best wishes|all the best|all best|take care|speak soon|talk soon|chat soon|catch you later|cordially|respectfully|warmly|with thanks|with kind regards|with best regards|rgds|br|kr|thx|ta|love|see you soon|see you then|talk later|more soon|best,? thanks|thanks and regards|regards and thanks)[\s,.!]*$/i;
const NAME_LINE = /^[\p{Lu}][\p{L}'’.-]*(?: (?:[\p{Lu}][\p{L}'’.-]*|&|and|of|the|de|van|von)){0,4}$/u;
const SIG_START = /^[\p{Lu}][\p{L}'’.-]+(?: [\p{Lu}][\p{L}'’.-]+){0,3}\s*(?:\||–|—)\s*\S/u;
const SIG_LIKE = /\||@|www\.|https?:|\+?\d[\d ()-]{6,}\d|^(?:t|m|tel|phone|mobile|e|email|w|web)\s*[:.]/i;

const SPACE = /\s/;
/** t.split(/\s+/).length for a trimmed, non-empty line, without the array. */
function wordCount(t: string): number {
  let count = 1;
  let inSpace = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const space = c < 128 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(t[i]);
    if (space && !inSpace) count++;
    inSpace = space;
  }
  return count;
}

/** QUOTE_INTRO can only match a line that starts with q, o or "[", or ends with ":". */
function mayBeQuoteIntro(t: string): boolean {
  if (t.length === 0) return false;
  const c = t.charCodeAt(0);
  return c === 113 || c === 81 || c === 111 || c === 79 || c === 91 || t.charCodeAt(t.length - 1) === 58;
}

function isNameLine(t: string): boolean {
  return t.length > 0 && t.length <= 50 && NAME_LINE.test(t);
}

function nextNonEmpty(lines: string[], from: number, limit = 3): number {
  for (let i = from; i < lines.length && i < from + limit; i++) if (lines[i].trim() !== "") return i;
  return -1;
}

/**
 * "On … wrote:" followed by "> " lines is an attribution: in a bottom-posted or
 * interleaved reply the sender's words come after the quote, so only the
 * attribution (and the quoted lines) go. Otherwise it starts the history.
 */
function attributionOrHistory(lines: string[], i: number, last: number, drop: Set<number>): boolean {
  const nx = nextNonEmpty(lines, last + 1);
  if (nx >= 0 && lines[nx].trimStart().startsWith(">")) {
    for (let k = i; k <= last; k++) drop.add(k);
    return false;
  }
  return true;
}

/** Index of the first line of quoted or forwarded history (or lines.length); attribution lines to drop. */
function historyStart(lines: string[], drop: Set<number>): number {
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "" || t.length > 600) continue; // a header line is never that long
    if (FORWARD.test(t)) return i;
    // the anchored-at-end regexes scan the whole line: only try them where the line's tail can match
    const wroteTail = WROTE_TAIL.test(t.length > 24 ? t.slice(-24) : t);
    if ((wroteTail && (ON_WROTE_START.test(t) || ADDRESS_WROTE.test(t))) || (t.endsWith(":") && NAMED_WROTE.test(t))) {
      if (attributionOrHistory(lines, i, i, drop)) return i;
      continue;
    }
    if (ON_WROTE_START.test(t) && t.length < 300) {
      // "On Tue, 3 Nov 2026 at 14:20, Kate Morrison <kate@…>" wrapped before "wrote:"
      let joined = t;
      let found = -1;
      for (let k = i + 1; k < lines.length && k <= i + 2; k++) {
        joined += " " + lines[k].trim();
        if (WROTE_END.test(joined) && joined.length < 500) { found = k; break; }
      }
      if (found >= 0) {
        if (attributionOrHistory(lines, i, found, drop)) return i;
        i = found;
        continue;
      }
    }
    if (RULE.test(t)) {
      const nx = nextNonEmpty(lines, i + 1);
      if (nx >= 0 && HEADER_FROM.test(lines[nx].trim())) return i;
      continue;
    }
    if (HEADER_FROM.test(t)) {
      let others = 0;
      for (let k = i + 1; k < lines.length && k <= i + 6; k++) if (HEADER_OTHER.test(lines[k].trim())) others++;
      if (others >= 1) return i;
    }
    if (HEADER_ANY.test(t)) {
      // a header block without From: (Lotus Notes: "Name on 05/01/2001 10:00 AM" / To: / cc: / Subject:)
      let others = 0;
      for (let k = i + 1; k < lines.length && k <= i + 4; k++) if (HEADER_ANY.test(lines[k].trim())) others++;
      if (others >= 2) {
        let at = i;
        for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
          const u = lines[k].trim();
          if (u === "") continue;
          if (u.length <= 160 && /\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}:\d{2}|@/.test(u)) at = k;
          else break;
        }
        return at;
      }
    }
  }
  return lines.length;
}

/** Index of the first signature line among lines[0..end), or end. */
function signatureStart(lines: string[], end: number): number {
  let seenContent = false;
  for (let i = 0; i < end; i++) {
    const t = lines[i].trim();
    if (t === "") continue;
    if (SIG_DASH.test(lines[i].trimEnd()) || SIG_DASH.test(t)) return i;
    if (SENT_FROM.test(t)) return i;
    if (!seenContent) {
      if (GREETING.test(t) || (t.endsWith(",") && t.split(" ").length <= 3)) continue;
      seenContent = true;
      continue;
    }
    if (t.startsWith(">") || t.length > 300) continue;
    const nx = nextNonEmpty(lines, i + 1);
    const next = nx >= 0 && nx < end ? lines[nx].trim().slice(0, 300) : "";
    if (SIGN_OFF.test(t)) return i + 1;
    const words = wordCount(t);
    if ((t.endsWith(",") || t.endsWith("!")) && words <= 8 && next !== "" && isNameLine(next.replace(/[,.]$/, ""))) return i + 1;
    if (SIG_START.test(t)) return i;
    if (isNameLine(t) && words <= 3 && next !== "" && SIG_LIKE.test(next) && !PS.test(next)) return i;
  }
  return end;
}

export interface Zoned {
  /** The sender's new text. */
  text: string;
}

/** Keep the sender's own new words: no quoted history, no forwards, no signature (but a PS). */
export function zone(plain: string): Zoned {
  const lines = (plain.indexOf("\r") >= 0 ? plain.replace(/\r\n?/g, "\n") : plain).split("\n");
  const drop = new Set<number>();
  const end = historyStart(lines, drop);
  for (const k of drop) lines[k] = "";
  const sig = signatureStart(lines, end);
  const kept: string[] = [];
  let inQuote = false;
  for (let i = 0; i < sig; i++) {
    const t = lines[i].trim();
    if (t === "") inQuote = false;
    if (t.length < 200 && mayBeQuoteIntro(t) && QUOTE_INTRO.test(t)) inQuote = true;
    if (inQuote || t.startsWith(">")) { kept.push(""); continue; }
    kept.push(lines[i]);
  }
  // a PS after the sign-off is new text: keep its paragraph
  let inPs = false;
  for (let i = sig; i < end; i++) {
    const t = lines[i].trim();
    if (PS.test(t)) inPs = true;
    else if (t === "") inPs = false;
    if (inPs && !t.startsWith(">")) { kept.push(""); kept.push(lines[i]); }
  }
  return { text: kept.join("\n").replace(/\n{3,}/g, "\n\n").trim() };
}

const OOO = /\b(?:i am|i'm|i’m|i will be|i'll be|i’ll be)\s+(?:currently\s+)?(?:out of (?:the )?office|away from (?:the|my) (?:office|desk)|on (?:annual |parental |maternity |paternity |sick )?leave|on (?:holiday|vacation)|travelling|traveling|away)\b/i;
const OOO_SUPPORT = /\b(?:(?:no|limited|intermittent) access to (?:e-?mail|my e-?mail|the internet)|for (?:urgent|immediate) (?:matters|queries|enquiries|issues|assistance|requests)|in my absence|(?:on|upon) my return|until my return|when i return|when i am back|i will respond|i will reply|i'll respond|i'll reply|i will get back to you|please contact)\b/i;
const AUTO_SUBJECT = /^(?:automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|ooo|abwesenheitsnotiz|réponse automatique|respuesta automática)\b|\bout of (?:the )?office\b/i;
const AUTO_BODY = /\b(?:this is an automatic reply|this is an auto-?reply|automatic reply:|auto-?reply:|i am out of the office|out of office auto)/i;

const AUTO_WORDS = /auto|out of|away|leave|holiday|vacation|travel/i;

/** An out-of-office automatic reply: it holds no promises. */
export function isAutoReply(text: string, subject?: string): boolean {
  if (subject && AUTO_SUBJECT.test(subject.trim())) return true;
  const head = text.slice(0, 2000);
  // (ASCII-only case folding: the same as lower-casing the head and looking for each word, without the copy)
  if (!AUTO_WORDS.test(head)) return false;
  if (AUTO_BODY.test(head) && OOO_SUPPORT.test(head)) return true;
  return OOO.test(head) && OOO_SUPPORT.test(head) && /\bthank(?:s| you) for your (?:e-?mail|message|note)|\bi am (?:currently )?out of (?:the )?office|\bwith (?:no|limited) access\b/i.test(head);
}

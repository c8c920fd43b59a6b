// The promise grammar over one tokenised sentence: a first-person frame (or an
// implied "I", or the sender as object), a commitment marker, a short gap, then
// a communication or delivery verb phrase aimed at the recipient; with vetoes
// for questions, counterfactuals, habits, third parties and negation.

import { tokenAt, type Tokenized } from "./tokens";

export type CommitmentKind = "explicit" | "conditional" | "implicit";

export interface PromiseHit {
  /** Token range (inclusive) of the words that make it a promise. */
  from: number;
  to: number;
  /** Tokens in which its due date is looked for, after the verb phrase. */
  scopeFrom: number;
  scopeTo: number;
  /** First token of the frame (subject or marker). */
  frameFrom: number;
  kind: CommitmentKind;
  confidence: number;
  /** Negated ability ("won't be able to … until Monday"): only a bound date makes it a promise. */
  negated: boolean;
}

const B = "(?<![^ ])";
const E = "(?![^ ])";
const W = "[^ ,.;:?!()\"]+"; // one word token

// --- frames ---------------------------------------------------------------
const NEG_MODALS = "will not|can not|shall not|could not|am not able to|are not able to|am unable to|are unable to|do not expect to|am not going to|are not going to|will be unable to";
const NEG_MODAL_SET = new Set(NEG_MODALS.split("|"));
const HEDGED_MODALS = new Set(["should", "hope to", "aim to", "expect to", "am hoping to", "are hoping to", "am aiming to", "are aiming to", "intend to", "plan to", "am planning to", "are planning to"]);
const MODALS = `${NEG_MODALS}|will|shall|can|should|must|am going to|are going to|plan to|intend to|aim to|promise to|hope to|expect to|am hoping to|are hoping to|am planning to|are planning to|am aiming to|are aiming to|endeavour to|endeavor to|am about to`;
const ADVERBS = "also|then|just|definitely|certainly|surely|probably|hopefully|still|really|now|actually|absolutely|both|all|personally|gladly|happily|only|of course|immediately|quickly|soon|shortly|then";
const FRAME = new RegExp(`${B}(i|we)((?: (?:${ADVERBS}))*) (${MODALS})${E}`, "g");
const SUBJECTLESS = new RegExp(`${B}(will not|will|shall|going to)${E}`, "g");
const LET_ME = new RegExp(`${B}let me${E}`, "g");

// --- the verb phrase ------------------------------------------------------
const YOU = "(?:you|you guys|ya|everyone|you all|you both|all of you|y'all|folks|the team|the group|the list|this thread|the thread)";
// a date or time word right after an object-less verb ("Will call tomorrow", "I'll update when I know more")
const WHEN_NEXT = "(?= (?:back|again|later|tomorrow|today|tonight|this|next|on|first|in|at|around|after|before|shortly|soon|asap|when|once|by|as soon|eod|cob|eow|within|early|over)(?: |$)| [.!,;]|$)";
const ITEM = "(?:update|answer|call|ring|bell|shout|buzz|holler|heads up|heads-up|feedback|response|confirmation|details|tinkle|decision|steer|yes or no|quick call|quick update|full update|final answer|proper answer)";
const DELIVERABLE = "(?:news|update|updates|answer|answers|decision|feedback|response|confirmation|results?|outcome|clarity|details|information|info|verdict|offer|numbers|figures|proposal|quote|draft|contract|dates|times|slots|report|summary|documents|pack|spec|schedule|shortlist|invoice|agenda|slides|deck|estimate)";
const COMM_SOURCES = [
  `(?:get|gets|getting|come|comes|coming|be) (?:right |straight |quickly )?back (?:in touch )?(?:to ${YOU}${E}|with (?!them|him|her)|on (?:this|that|it|the(?! (?:call|phone|line|train|bus|plane|road|track|bike|horse|wagon|meeting|zoom|team|pitch|field|stage|ice))|your|those|these|both|all)${E}|about${E}|regarding${E}|re${E})`,
  `(?:circle|circling|loop|looping|report|reporting|feed|feeding|swing|swinging|check|checking) back`,
  `(?:revert|reverting|respond|responding|reply|replying)${E}`,
  `let ${YOU} (?:know|have)${E}`,
  `keep ${YOU} (?:posted|updated|informed|in the loop|abreast|up to date|up-to-date|apprised|in the picture)${E}`,
  `(?:update|updating|contact|contacting|call|calling|ring|ringing|phone|phoning|email|emailing|message|messaging|text|texting|ping|pinging|brief|briefing|notify|inform|advise|write to|writing to|speak to|speak with|talk to|chat to|chat with|catch up with) ${YOU}${E}`,
  `give ${YOU} (?:a |an |the |some |my |our )?(?:quick |full |final |proper |initial |firm )?${ITEM}${E}`,
  `(?:drop|dropping|shoot|fire|ping) (?:you )?(?:a |an )?(?:quick )?(?:line|note|email|message|text|mail)${E}`,
  `(?:be|being) (?:back )?in (?:touch|contact)${E}`,
  `get in touch${E}`,
  `(?:reach|reaching) out${E}`,
  `touch(?:ing)? base${E}`,
  `follow(?:ing)? up${E}`,
  `(?:send|sending|share|sharing|forward|forwarding|provide|providing|deliver|delivering|ship|shipping|dispatch|dispatching|issue|circulate|post|posting)${E}`,
  `pass(?:ing)? (?:${W} ){0,4}?(?:along|on|over|back) to (?:you|everyone)${E}`,
  `confirm(?:ing)?${E}`,
  `answer(?:ing)? (?:your|the|those|these|all|any|each|both|remaining|that|this|it|them)${E}`,
  `(?:have|having) (?:${W} ){0,6}?(?:to|for|over to|back to|across to|through to) (?:you|the team)${E}`,
  `(?:have|having) (?:some |any |more |further |an? |the |my |our |final |full )?(?:${W} )?${DELIVERABLE}${E}`,
  `(?:get|getting) (?:(?:${W}|,) ){0,12}?(?:over |across |through |back |out )?to (?:you|everyone)${E}`,
  `(?:get|getting) you (?:a|an|the|some|my|our|those|these|that|this|it|them|your|more)${E}`,
  `(?:pick|take) (?:this|it|that|things) (?:up )?(?:further )?with you${E}`,
  `(?<!(?:your|my|an|a|the|our|their|his|her|for|this|that|any|no|an|of) )(?:call|ring|phone|email|text|message|update|write)${WHEN_NEXT}`,
  `(?:get|talk|touch base) with you${E}`,
  `update (?:this|the|my) (?:thread|post|list|ticket|issue|bug)${E}`,
  `(?:fax|faxing|fedex|courier|messenger|overnight)${E}`,
  `(?:be|being) back (?:to|with) you${E}`,
];
const COMM = new RegExp(`(?:${COMM_SOURCES.join("|")})`, "y");
// Every COMM alternative opens with one of these whole words: COMM only runs at a token that is one.
const COMM_FIRST = new Set([
  "get", "gets", "getting", "come", "comes", "coming", "be", "being",
  "circle", "circling", "loop", "looping", "report", "reporting", "feed", "feeding", "swing", "swinging", "check", "checking",
  "revert", "reverting", "respond", "responding", "reply", "replying", "let", "keep",
  "update", "updating", "contact", "contacting", "call", "calling", "ring", "ringing", "phone", "phoning", "email", "emailing",
  "message", "messaging", "text", "texting", "ping", "pinging", "brief", "briefing", "notify", "inform", "advise",
  "write", "writing", "speak", "talk", "chat", "catch", "give", "drop", "dropping", "shoot", "fire", "reach", "reaching",
  "touch", "touching", "follow", "following", "send", "sending", "share", "sharing", "forward", "forwarding", "provide",
  "providing", "deliver", "delivering", "ship", "shipping", "dispatch", "dispatching", "issue", "circulate", "post", "posting",
  "pass", "passing", "confirm", "confirming", "answer", "answering", "have", "having", "pick", "take",
  "fax", "faxing", "fedex", "courier", "messenger", "overnight",
]);

const STOP_WORDS = new Set([
  "if", "whether", "because", "unless", "until", "once", "when", "whenever", "while", "although", "though",
  "since", "so", "that", "who", "which", "where", "they", "he", "she", "i", "we", "or",
  "will", "shall", "can", "must",
]);
// "every Monday", "each week": a habit, not a promise
const HABIT = /(?:^| )(?:every|each) (?:day|week|month|morning|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday|time|year|quarter)(?: |$)/;
const VETO_WORDS = new Set(["would", "could", "might", "may", "was", "were", "had", "always", "usually", "normally", "generally", "typically", "never", "often"]);
const STOP_PUNCT = new Set([".", "?", "!", ";", ":", "(", ")", "\"", ","]);
const HEDGE_WORDS = new Set(["try", "hope", "hopefully", "aim", "endeavour", "endeavor", "best", "attempt", "ideally"]);
const DELEGATE = new Set(["ask", "tell", "remind", "chase", "get", "have", "let", "make", "need", "want"]);
const THIRD_PARTY = new Set([
  "them", "him", "her", "client", "clients", "team", "manager", "managers", "hr", "candidate", "candidates",
  "colleague", "colleagues", "finance", "legal", "board", "panel", "director", "boss", "supplier", "suppliers",
  "vendor", "agency", "recruiter", "company", "firm", "people", "partner", "partners", "cfo", "ceo", "md",
  "customer", "customers", "office", "courier", "they", "someone", "interviewer", "interviewers", "referees",
]);
const POLICY = new Set(["all", "every", "each", "any"]);
const POLICY_NOUNS = /^(?:enquiries|inquiries|emails|requests|applications|messages|tickets|queries|candidates|applicants|e-mails|calls|enquiry|inquiry|email|request|message|ticket|query)$/;
const CONDITIONS = new Set(["if", "once", "when", "whenever", "should", "provided", "assuming", "after", "soon"]);
const CUT_WORDS = new Set(["once", "if", "unless", "because", "whereas", "although", "though", "so"]);

// words before a subjectless "…, will revert" that leave the sender as its subject
const ACK = new Set(["thx", "thanks", "thank", "you", "ok", "okay", "sure", "noted", "yes", "yep", "great", "cool", "fine", "np", "sounds", "good",
  "got", "it", "understood", "of", "course", "absolutely", "perfect", "hi", "hello", "hey", "all", "no", "problem", "will", "do", "received", "many", "and", ","]);
const QUESTION_TAG = /^(?:does|do|is|are|would|will|ok|okay|right|sound|sounds|alright|how|what|hope|can|could|if|that|yes|no)$/;
const DOUBT = /(?:not|no|never) (?:promise|guarantee|sure|certain|say)(?: that)?$|(?:doubt|unlikely|whether)(?: that)?$/;

interface Candidate { frameFrom: number; start: number; hedged: boolean; negated: boolean; confidence: number; weak?: boolean }

/** Words that carry no subject of their own: acknowledgements before a subjectless "will". */
const NO_SUBJECT_WORDS = /^(?:they|he|she|it|the|their|his|her|you|your|this|that|these|those|there|someone|somebody|everyone|nobody|a|an)$/;
/**
 * The subject of the clause that runs from `from` to `to` (exclusive): the sender
 * ("i", "we"), someone else ("the client", "she", "Sarah"), or none (an elliptical
 * clause such as "Monitoring now" or "Thanks for the update").
 */
function clauseSubject(tk: Tokenized, from: number, to: number): "sender" | "other" | "none" {
  const { tokens } = tk;
  let i = from;
  while (i < to && (ACK.has(tokens[i].n) || GREETING_WORD.test(tokens[i].n))) {
    // "thanks for the update", "thank you": the formula has no subject
    if (tokens[i].n === "thanks" || tokens[i].n === "thank") return "none";
    i++;
  }
  if (i >= to) return "none";
  const t = tokens[i].n;
  if (t === "i" || t === "we") return "sender";
  if (NO_SUBJECT_WORDS.test(t) || t === "our" || t === "my") return "other";
  // a capitalised word inside the sentence is a name ("Sarah Lee, will be in touch")
  if (tokens[i].cap && i > 0) return "other";
  if (tokens[i].cap && i + 1 < to && /^(?:is|are|was|were|has|have|had|will|said|says|can|should|would)$/.test(tokens[i + 1].n)) return "other";
  return "none";
}
const INTERJECTION = new Set(["thx", "thanks", "ok", "okay", "sure", "noted", "yes", "yep", "yeah", "great", "cool", "fine", "np", "perfect", "understood", "received", "absolutely", "k", "good", "done", "right"]);
const GREETING_WORD = /^(?:hi|hello|hey|dear|morning|afternoon|evening)$/;
// "if you're interested I'll send the spec": an offer that waits on the recipient, not a promise
const RECIPIENT_CONDITION = /(?:^| )(?:if|should|in case) (?:you (?:are |would |do |ever )?(?:be )?(?:interested|keen|like|prefer|want|wish)|(?:it|that|this) (?:would |might |could )?(?:help|helps|be useful|is useful|be helpful|is helpful|works for you)|(?:useful|helpful|you like|you prefer|you want|you wish))(?: |$)/;
const DATE_WORD = /(?:^| )(?:by|before|until|till|tomorrow|today|tonight|eod|cob|eow|next|this|within|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|weds|thu|thur|thurs|fri|later|\d{1,2}(?:st|nd|rd|th)?|in (?:a|an|\d+|two|three|a few|a couple of) (?:days?|hours?|weeks?|minutes?|mins?))(?: |$)/;

/** Find the promises in one sentence. */
export function findPromises(tk: Tokenized): PromiseHit[] {
  const { tokens, norm } = tk;
  const n = tokens.length;
  if (n === 0) return [];
  // questions and offers phrased as questions are never promises
  const last = tokens[n - 1].n;
  // a question, unless it is a tag after a promise: "I'll send it tomorrow, does that work?"
  let questionFrom = -1;
  if (last === "?" || (n > 1 && last === "\"" && tokens[n - 2].n === "?")) {
    questionFrom = 0;
    for (let i = n - 2; i > 0; i--) {
      if (tokens[i].n === "," || tokens[i].n === "-") {
        if (i + 1 < n && QUESTION_TAG.test(tokens[i + 1].n)) questionFrom = i;
        break;
      }
    }
  }
  if (/^(?:shall|should|can|could|may|do you want me to|would you like me to|is it ok if|would it help if)(?: i| we)/.test(norm)) return [];
  if (/^(?:as promised|following up as promised)/.test(norm)) return [];

  const candidates: Candidate[] = [];

  FRAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FRAME.exec(norm)) !== null) {
    const frameFrom = tokenAt(tk, m.index);
    const modal = m[3];
    // "I can't promise I'll …", "not sure we will …"
    if (DOUBT.test(joinNorm(tk, Math.max(0, frameFrom - 4), frameFrom))) continue;
    const start = tokenAt(tk, m.index + m[0].length - 1) + 1;
    const negated = NEG_MODAL_SET.has(modal);
    // "I should have let you know" is a regret, not a promise
    if ((modal === "should" || modal === "must") && start < n && tokens[start].n === "have" && start + 1 < n &&
      !/^(?:a|an|the|some|any|more|news|my|our|an|your|it|them|something|everything|final|full)$/.test(tokens[start + 1].n)) continue;
    candidates.push({ frameFrom, start, hedged: HEDGED_MODALS.has(modal), negated, confidence: modal === "can" ? 0.7 : 0.9, weak: modal === "can" });
  }
  SUBJECTLESS.lastIndex = 0;
  // (substring gates: each regex needs its words somewhere in the sentence)
  const hasSubjectless = norm.includes("will") || norm.includes("shall") || norm.includes("going to");
  while (hasSubjectless && (m = SUBJECTLESS.exec(norm)) !== null) {
    // an implied "I": "Will revert", "Shall revert", "so won't reply until Friday", "Going to send …"
    const at = tokenAt(tk, m.index);
    const words = m[1].indexOf(" ") < 0 ? 1 : 2; // "will", "shall"; "will not", "going to"
    const after = at + words;
    if (after < n && /^(?:you|they|he|she|it|the|not|this|that|there|i|we|be)$/.test(tokens[after].n) && !(m[1] !== "going to" && tokens[after].n === "be")) continue;
    if (m[1] === "going to" && after < n && tokens[after].n === "be") continue;
    const prev = at > 0 ? tokens[at - 1].n : null;
    if (prev !== null) {
      if (/^(?:and|so|but|then|also|just)$/.test(prev)) {
        // the subject carries over from the sentence's first clause
        if (clauseSubject(tk, 0, at) === "other" && !sentenceSubjectIsSender(tk, at)) continue;
      } else if (/^(?:,|\.|:|;|!)$/.test(prev) || INTERJECTION.has(prev)) {
        // a new clause: its own subject is implied; the clause before must not name someone else
        let b = at - 1;
        while (b > 0 && !/^(?:,|\.|:|;|!)$/.test(tokens[b - 1].n)) b--;
        if (clauseSubject(tk, b, at - (INTERJECTION.has(prev) ? 0 : 1)) === "other") continue;
      } else continue;
    }
    candidates.push({ frameFrom: at, start: after, hedged: false, negated: m[1] === "will not", confidence: 0.8 });
  }
  LET_ME.lastIndex = 0;
  const hasLetMe = norm.includes("let me");
  while (hasLetMe && (m = LET_ME.exec(norm)) !== null) {
    const at = tokenAt(tk, m.index);
    if (at > 0 && !/^(?:,|and|so|but|then|just|please|ok|okay)$/.test(tokens[at - 1].n)) continue;
    if (at + 2 < n && tokens[at + 2].n === "know") continue; // "let me know" is a request
    candidates.push({ frameFrom: at, start: at + 2, hedged: false, negated: false, confidence: 0.85 });
  }

  if ((norm.includes("if ") || norm.includes("should ") || norm.includes("in case ")) && RECIPIENT_CONDITION.test(norm)) return [];
  const hits: PromiseHit[] = [];
  const claimed = new Set<number>();
  candidates.sort((a, b) => a.frameFrom - b.frameFrom);
  for (const c of candidates) {
    const hit = matchVerbPhrase(tk, c, claimed);
    if (hit) hits.push(hit);
  }
  for (const h of senderAsObject(tk)) {
    if (!hits.some((x) => x.from <= h.to && h.from <= x.to)) hits.push(h);
  }
  if (questionFrom >= 0) {
    for (let i = hits.length - 1; i >= 0; i--) if (hits[i].to >= questionFrom) hits.splice(i, 1);
  }
  hits.sort((a, b) => a.from - b.from);
  // a promise's date scope ends where the next promise begins
  for (let i = 0; i + 1 < hits.length; i++) {
    hits[i].scopeTo = Math.min(hits[i].scopeTo, hits[i + 1].frameFrom - 1);
  }
  for (const h of hits) {
    if (h.kind === "explicit" && hasCondition(tk, h)) {
      h.kind = "conditional";
      h.confidence = Math.min(h.confidence, 0.8);
    }
  }
  return hits;
}

function hasCondition(tk: Tokenized, h: PromiseHit): boolean {
  for (let i = 0; i < tk.tokens.length; i++) {
    const t = tk.tokens[i].n;
    if (!CONDITIONS.has(t)) continue;
    if (t === "soon" && !(i > 1 && tk.tokens[i - 1].n === "as" && tk.tokens[i - 2].n === "as")) continue;
    if (t === "should" && i !== 0) continue;
    if (t === "after" && i + 1 < tk.tokens.length && /^(?:the|next|this)$/.test(tk.tokens[i + 1].n)) continue;
    if (t === "when" && i > h.to && i + 1 < tk.tokens.length && /^(?:i|we)$/.test(tk.tokens[i + 1].n)) return true;
    if (t !== "when") return true;
  }
  return false;
}

function matchVerbPhrase(tk: Tokenized, c: Candidate, claimed: Set<number>): PromiseHit | null {
  const { tokens, norm, starts } = tk;
  const n = tokens.length;
  let hedged = c.hedged;
  let delegated = false;
  for (let p = c.start; p < n && p <= c.start + 12; p++) {
    const t = tokens[p].n;
    if (STOP_PUNCT.has(t)) return null;
    if (VETO_WORDS.has(t)) return null;
    // "make sure I let you know", "be sure we send it": still the sender's own promise
    if (p > c.start && STOP_WORDS.has(t) && !((t === "i" || t === "we") && (tokens[p - 1].n === "sure" || (tokens[p - 1].n === "that" && tokens[p - 2]?.n === "sure")))) return null;
    if (t === "not" || t === "no") {
      if (!c.negated) return null;
    }
    if (HEDGE_WORDS.has(t)) hedged = true;
    let mm: RegExpExecArray | null = null;
    if (COMM_FIRST.has(t)) {
      COMM.lastIndex = starts[p];
      mm = COMM.exec(norm);
    }
    if (!mm) {
      if (DELEGATE.has(t)) delegated = true;
      continue;
    }
    let end = p;
    const stop = starts[p] + mm[0].length;
    while (end + 1 < n && starts[end + 1] < stop) end++;
    if (claimed.has(p)) return null;
    // "I'll ask her to call you" / "I'll have Sarah call you": the sender arranges it, still a promise;
    // "I'll need you to send …" asks the recipient
    if (delegated && hasRecipientAgent(tk, c.start, p)) return null;
    if (toThirdParty(tk, p, end)) continue;
    if (isPolicy(tk, end)) return null;
    const scopeTo0 = scopeEnd(tk, end);
    // "I can get back to you by Friday" commits; "I can send you a few" offers
    if (c.weak && (!DATE_WORD.test(joinNorm(tk, end + 1, scopeTo0 + 1)) || /(?:^| )if /.test(norm))) return null;
    if (HABIT.test(joinNorm(tk, c.frameFrom, scopeTo0 + 1))) return null;
    claimed.add(p);
    const scopeTo = scopeEnd(tk, end);
    return {
      from: c.frameFrom,
      to: end,
      scopeFrom: end + 1,
      scopeTo,
      frameFrom: c.frameFrom,
      kind: "explicit",
      confidence: hedged ? Math.min(c.confidence, 0.7) : c.confidence,
      negated: c.negated,
    };
  }
  return null;
}

// what may follow "be in touch with the …" / "send it to the …" without naming a third party
const PERSON_LIKE = /(?:er|or|ist|ant|ent|ian|ee|lord|man|men|woman|women|people|staff|side|folks|guys|contact|rep|reps|dept|department|desk|office|bank|council|school|university|agency|firm|company|client|supplier|vendor|board|panel|family|partner|boss|head|chair|committee|insurer|broker|buyer|seller|tenant|landlady|team|hr|it|legal|finance|ops)s?$/;
const NOT_A_PARTY = /^(?:comments?|agreement|statement|payment|order|letter|paper|reminder|documents?|amendment|assessment|element|content|requirements|calendar|folder|poster|numbers?|answers?|offer|transfer|register|cover|tender|summary|paperwork|invoice|spreadsheet|answer|filter|draft|sample|samples|minutes|team|group|list|thread|channel|inbox|portal|ticket|details|detail|news|update|updates|answer|answers|outcome|result|results|figures|numbers|dates|times|plan|plans|next|latest|final|full|revised|updated|new|rest|info|information|feedback|decision|documents|paperwork|contract|proposal|quote|report|draft|schedule|invoice|agenda|summary|notes|slides|deck|spec|specs|offer|timeline|options|costs|pricing|link|file|files|data|confirmation|change|changes|fix|patch|code|same|other|whole)$/;

/** "need you to", "ask you to": the recipient does the verb that follows. */
function hasRecipientAgent(tk: Tokenized, from: number, to: number): boolean {
  for (let i = from; i + 1 < to; i++) {
    if (DELEGATE.has(tk.tokens[i].n) && tk.tokens[i + 1].n === "you") return true;
  }
  return false;
}

/** "be in touch with the client", "send your CV to Priya": not a message to the recipient. */
function toThirdParty(tk: Tokenized, from: number, to: number): boolean {
  const { tokens } = tk;
  // (from <= to < tokens.length: the verb phrase)
  const verb = tokens[from].n;
  // the verb phrase itself ends in a third party: "get back to them", "reach out to"
  const lastWord = tokens[to].n;
  if (THIRD_PARTY.has(lastWord) && lastWord !== "team") return true;
  const delivery = /^(?:send|sending|share|sharing|forward|forwarding|provide|providing|deliver|delivering|ship|shipping|dispatch|dispatching|issue|circulate|post|posting|confirm|confirming)$/.test(verb);
  const window = delivery ? 8 : 2;
  for (let i = to + 1; i < tokens.length && i <= to + window; i++) {
    const t = tokens[i].n;
    if (STOP_PUNCT.has(t) || t === "and" || t === "so" || t === "once" || t === "if") return false;
    if (t === "to" || t === "with") {
      for (let j = i + 1; j < tokens.length && j <= i + 4; j++) {
        const w = tokens[j].n;
        if (w === "you" || w === "us" || w === "everyone" || w === "all") return false;
        if (STOP_PUNCT.has(w)) break;
        // "with the vendor's confirmation": a possessive names the deliverable's source, not the addressee
        if (j + 1 < tokens.length && tokens[j + 1].n === "'s") break;
        if (THIRD_PARTY.has(w)) return true;
        if (tokens[j].cap && w !== "i" && j === i + 1) return true;
        // "with the landlord", "to my accountant": a person after a determiner, not a deliverable
        if (j === i + 2 && /^(?:the|their|his|her|my|our|its)$/.test(tokens[i + 1].n) && PERSON_LIKE.test(w) && !NOT_A_PARTY.test(w)) return true;
        if (!/^(?:the|their|his|her|my|our|your|a|an|its|hiring|engineering|design|product|other|relevant|right)$/.test(w)) break;
      }
      if (!delivery) return false;
    }
  }
  // "call Priya", "email the client"
  if (!delivery && to + 1 < tokens.length && to === from) {
    const next = tokens[to + 1];
    if (next.cap && next.n !== "i" && /^(?:reach|reaching|follow|following|touch|revert|respond|reply)/.test(verb) === false) return true;
  }
  return false;
}

/** "We aim to respond to all enquiries within 24 hours." */
function isPolicy(tk: Tokenized, end: number): boolean {
  const { tokens } = tk;
  for (let i = end + 1; i < tokens.length && i <= end + 4; i++) {
    if (POLICY.has(tokens[i].n) && i + 1 < tokens.length && POLICY_NOUNS.test(tokens[i + 1].n)) return true;
    if (POLICY.has(tokens[i].n) && i + 2 < tokens.length && POLICY_NOUNS.test(tokens[i + 2].n)) return true;
  }
  return false;
}

/** Where the date of a promise may still be found: up to a new clause. */
function scopeEnd(tk: Tokenized, end: number): number {
  const { tokens } = tk;
  for (let i = end + 1; i < tokens.length; i++) {
    const t = tokens[i].n;
    if (t === "." || t === "?" || t === "!" || t === ";") return i - 1;
    if (CUT_WORDS.has(t) && !(t === "so" && i + 1 < tokens.length && tokens[i + 1].n === "you")) return i - 1;
    if (t === "as" && i + 2 < tokens.length && tokens[i + 1].n === "soon" && tokens[i + 2].n === "as") return i - 1;
    if (t === "," && i + 1 < tokens.length && /^(?:and|but|so|which|while|as|though|although|because|once|if|when|after)$/.test(tokens[i + 1].n)) return i - 1;
  }
  return tokens.length - 1;
}

/** For "… and will update you": is the sentence's subject the sender? */
function sentenceSubjectIsSender(tk: Tokenized, before: number): boolean {
  const { tokens } = tk;
  for (let i = 0; i < before; i++) {
    const t = tokens[i].n;
    if (t === "i" || t === "we") return true;
    if (/^(?:they|he|she|it|the|their|his|her|you|your|this|that|a|an|our|my|there|these|those)$/.test(t)) return false;
    if (tokens[i].cap && i > 0) return false;
  }
  return false;
}

const SO_HEAR = new RegExp(`${B}you (?:will|shall|should|can expect to)( not)?(?: ${W}){0,2}? hear (?:back )?from (?:me|us|one of us|my team|our team)${E}`, "g");
const SO_HAVE = new RegExp(`${B}you (?:will|shall)( not)? (?:also )?(?:have|get|receive|see)${E}`, "g");
const SO_EXPECT = new RegExp(`${B}expect(?: ${W}){0,5}? from (?:me|us)${E}`, "g");
const SO_LEAVE = new RegExp(`${B}leave (?:it|this|that|things|this one) with (?:me|us)${E}`, "g");
const TELEGRAPHIC = new RegExp(`^(?:(?:ok|okay|noted|sure|thanks) ,? )?(?:back to you|revert(?:ing)?(?: back)?)(?= (?:by|on|in|within|tomorrow|today|shortly|soon|asap|later|first|early|next|this|eod|cob|eow|before|after|once|when|as)${E})`);
const TO_FOLLOW = new RegExp(`${B}(?:update|updates|more|details|full details|further details|an update|feedback|confirmation|more info|more details|more information|answer|the rest|invite|the invite|summary|notes|invoice|contract) to follow${E}`, "g");
const SO_NOUNS = /^(?:letter|offer|contract|update|answer|decision|feedback|details|confirmation|results?|report|pack|spec|proposal|quote|copy|invite|invitation|schedule|shortlist|list|numbers|figures|draft|documents|paperwork|summary|notes|news|response|reply|information|info|dates|times|slots|agreement|nda|terms|breakdown|comments|deck|brochure|outcome|agenda|invoice|link|call|email|yours|verdict|sla|kit|certificate|certificates|paperwork|samples|parts|order|delivery)$/;
const SO_BLOCK = /^(?:time|chance|opportunity|access|option|choice|to|plenty|enough|weekend|week|day|days|fun|questions|a chance)$/;

// "Root cause analysis to follow tomorrow.": any short noun phrase opening the sentence
const NP_TO_FOLLOW = new RegExp(`^(?:(?:ok|okay|noted|thanks|sure) ,? )?((?:${W} ){1,4})to follow(?= (?:by|on|in|within|tomorrow|today|tonight|shortly|soon|asap|later|first|early|next|this|eod|cob|eow|once|when|after|as|[.!,;])(?: |$)| ?$)`);
const NOT_NP = /(?:^| )(?:i|we|you|he|she|they|it|is|are|was|were|be|been|has|have|had|need|needs|easy|hard|difficult|tough|simple|example|act|lead|path|procedure|process|rules|steps|guidelines|advice|suit|how|what|which|where|who|not|no|to)(?= )/;
// "Expect the revised quote in 2 business days", "so expect my report by Friday"
const EXPECT_ITEM = new RegExp(`${B}expect (?:(?:an?|the|my|our|some|more|further|full|revised|final|updated|first|detailed|formal|written) )*(?:${W} ){0,2}?(?:letter|offer|contract|update|updates|answer|decision|feedback|details|confirmation|results?|report|pack|spec|proposal|quote|copy|invite|invitation|schedule|shortlist|numbers|figures|draft|documents|paperwork|summary|notes|news|response|reply|invoice|link|call|email|e-mail|write-up|writeup|estimate|slides|deck|agenda|breakdown|reminder|review|comments|plan|timeline|version|patch|release|fix|shipment|delivery|parcel|package)${E}`, "g");

const SO_RES = [SO_HEAR, SO_EXPECT, SO_LEAVE, TO_FOLLOW];

/** The normalised words of tokens [from, to) joined by spaces: the same as joining their `n`, without the arrays. */
function joinNorm(tk: Tokenized, from: number, to: number): string {
  const b = Math.min(to, tk.tokens.length);
  if (b <= from) return "";
  return tk.norm.slice(tk.starts[from], tk.starts[b - 1] + tk.tokens[b - 1].n.length);
}

// module-level helpers rather than closures: no per-sentence function objects
function pushHit(out: PromiseHit[], tk: Tokenized, from: number, to: number, confidence: number, negated = false): void {
  out.push({ from, to, scopeFrom: to + 1, scopeTo: scopeEnd(tk, to), frameFrom: from, kind: "explicit", confidence, negated });
}
function rangeOf(tk: Tokenized, m: RegExpExecArray): [number, number] {
  return [tokenAt(tk, m.index), tokenAt(tk, m.index + m[0].length - 1)];
}

function senderAsObject(tk: Tokenized): PromiseHit[] {
  const { tokens, norm } = tk;
  const out: PromiseHit[] = [];
  let m: RegExpExecArray | null;
  // cheap substring gates before each regex (a regex opening with a lookbehind scans every position)
  const hasHear = norm.includes("hear");
  const hasExpect = norm.includes("expect");
  const hasFollow = norm.includes("to follow");
  for (const re of SO_RES) {
    if (re === SO_HEAR ? !hasHear : re === SO_EXPECT ? !hasExpect : re === SO_LEAVE ? !norm.includes("leave") : !hasFollow) continue;
    re.lastIndex = 0;
    while ((m = re.exec(norm)) !== null) {
      const [a, b] = rangeOf(tk, m);
      if (re === SO_EXPECT && a > 0 && /^(?:i|we|they|he|she|not)$/.test(tokens[a - 1].n)) continue;
      pushHit(out, tk, a, b, re === SO_LEAVE ? 0.8 : 0.85, re === SO_HEAR && m[1] !== undefined);
    }
  }
  SO_HAVE.lastIndex = 0;
  const hasYouWill = norm.includes("you will") || norm.includes("you shall");
  while (hasYouWill && (m = SO_HAVE.exec(norm)) !== null) {
    const [a, b] = rangeOf(tk, m);
    let ok = false;
    let end = b;
    for (let i = b + 1; i < tokens.length && i <= b + 9; i++) {
      const t = tokens[i].n;
      if (STOP_PUNCT.has(t) || t === "and" || t === "once" || t === "if" || t === "when") break;
      if (i === b + 1 && SO_BLOCK.test(t)) break;
      if (t === "from") {
        const who = i + 1 < tokens.length ? tokens[i + 1].n : "";
        ok = who === "me" || who === "us";
        end = i + 1;
        break;
      }
      if (t === "my" || t === "our") { ok = true; end = i; }
      if (SO_NOUNS.test(t) && i <= b + 5) { ok = true; end = i; }
    }
    if (ok) pushHit(out, tk, a, end, 0.8, m[1] !== undefined);
  }
  const np = hasFollow ? NP_TO_FOLLOW.exec(norm) : null;
  if (np && !NOT_NP.test(` ${np[1]}`) && !out.some((h) => h.from === 0)) {
    const [a, b] = rangeOf(tk, np);
    pushHit(out, tk, a, b, 0.75);
  }
  EXPECT_ITEM.lastIndex = 0;
  while (hasExpect && (m = EXPECT_ITEM.exec(norm)) !== null) {
    const [a, b] = rangeOf(tk, m);
    const prev = a > 0 ? tokens[a - 1].n : null;
    if (prev !== null && !/^(?:so|and|please|then|,|\.|-|:|can|also|just)$/.test(prev)) continue;
    if (prev === "can" && !(a > 1 && tokens[a - 2].n === "you")) continue;
    if (!out.some((h) => h.from <= b && a <= h.to)) pushHit(out, tk, a, b, 0.8);
  }
  const tm = norm.includes("back to you") || norm.includes("revert") ? TELEGRAPHIC.exec(norm) : null;
  if (tm) {
    const [a, b] = rangeOf(tk, tm);
    pushHit(out, tk, a, b, 0.75);
  }
  return out;
}

const PASSED_ON = /(?:^| )(?:i|we) (?:have |had )?(?:just )?(?:passed|forwarded|sent|shared|put) (?:on )?(?:your|his|her|their) (?:details|cv|profile|resume|résumé|application|information|info|portfolio|cv and|name)/;
const MEANTIME = /(?:^| )in the meantime(?: |$)/;

/** The first half of the implicit promise ("I have passed your details on"): only then is the next sentence needed. */
export function mayBeImplicitPromise(norm: string): boolean {
  return PASSED_ON.test(norm);
}

/**
 * The implicit promise: "I have passed your details on … in the meantime …":
 * the recipient now waits for news the sender owes. Looks at this sentence and the next.
 */
export function isImplicitPromise(norm: string, nextNorm: string | null): boolean {
  if (!PASSED_ON.test(norm)) return false;
  return MEANTIME.test(norm) || (nextNorm !== null && MEANTIME.test(nextNorm));
}

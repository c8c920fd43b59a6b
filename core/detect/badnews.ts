// Bad news: the sender tells the recipients that something they hoped for will
// not happen, or not now (rejection, role filled/paused/cancelled, offer
// withdrawn, freeze, proposal declined). Delays with the outcome open,
// apologies for slowness and news about third parties are not bad news.

import { tokenAt, type Tokenized } from "./tokens";

interface Cue { re: RegExp; confidence: number }
const B = "(?<![^ ])";
const E = "(?![^ ])";
const G = "(?:[^ .;?!]+ ){0,6}?"; // a short gap of words
const cue = (src: string, confidence = 0.85): Cue => {
  return { re: new RegExp(`${B}(?:${src})${E}`, "y"), confidence };
};

const FORWARD = "(?:forward|further|any further|through|to (?:the )?(?:next|second|final) (?:stage|round))";
const APPLICANT = "(?:you|your (?:application|candidacy|cv|profile|resume|résumé|submission|proposal|bid|tender|request)|things|this|it|us|our (?:proposal|bid|application))";

const CUES: Cue[] = [
  cue(`(?:decided|decision|chosen|opted|agreed) (?:not to|to not) (?:move|moving|go|proceed|progress|take|continue|renew|pursue|shortlist|offer|extend|go ahead|invite|select|fund|approve)`, 0.9),
  cue(`not (?:be )?(?:moving|taking|putting|progressing|going to (?:take|move|progress)|going to put) ${APPLICANT} ${FORWARD}`, 0.9),
  cue(`not (?:be )?(?:moving|going) (?:ahead|forward) with`, 0.85),
  cue(`(?:will|shall|can|could|are|is) not (?:be )?(?:progress|progressing|proceed|proceeding|continue|continuing|going ahead|go ahead|renew|renewing|able to (?:continue|proceed|progress|offer|put you forward|move forward))`, 0.8),
  cue(`(?:not|no longer) (?:be )?(?:able to )?(?:put|putting) you forward`, 0.85),
  cue(`(?:have|has|was|were|is|are) not been (?:successful|shortlisted|selected)|(?:was|were|is|are|been) (?:unsuccessful|not successful|not selected|not shortlisted)`, 0.9),
  cue(`(?:filled|closed|cancelled|canceled|withdrawn|scrapped|pulled) (?:${G})?(?:role|position|vacancy|job|opening|requisition|requisitions|search|appointment|post|headcount) (?:internally|altogether)`, 0.9),
  cue(`(?:filled|cancelled|canceled|scrapped|pulled|closed) (?:the|this|that|your) (?:${G})?(?:role|position|vacancy|job|opening|requisition|search|appointment|post|process|contract|project)`, 0.85),
  cue(`(?:role|position|vacancy|job|opening|requisition|requisitions|search|appointment|post|process|project|campaign|programme|program) (?:${G})?(?:has|have|had)? ?(?:been|is|are|was|were) (?:now )?(?:filled|closed|cancelled|canceled|withdrawn|pulled|scrapped|frozen|on hold|put on hold|paused|shelved)`, 0.85),
  cue(`(?:put|putting|placed|placing|kept) (?:${G})?on hold`, 0.85),
  cue(`on hold (?:indefinitely|until|for now|for the time being|pending)`, 0.85),
  cue(`(?:hiring|recruitment|recruiting|headcount|budget|spending) freeze`, 0.9),
  cue(`(?:frozen|froze|freezing|paused|pausing|pause|suspended|suspending) (?:all |any |the |our |their )?(?:external |internal |new )?(?:hiring|recruitment|recruiting|headcount|co-marketing|marketing|partnerships?|programme|program|project|campaign|budget)`, 0.85),
  cue(`(?:decided|agreed|chosen) to (?:pause|freeze|cancel|suspend|shelve|scrap|withdraw|rescind)`, 0.85),
  cue(`(?:been|is|was) frozen`, 0.7),
  cue(`(?:withdrawn|withdrew|withdraw|rescinded|rescind|rescinding|pulled|retracted|revoked) (?:the|your|this|our|their) (?:${G})?offer`, 0.9),
  cue(`offer (?:${G})?(?:has been|was|is being|have been|had been) (?:withdrawn|rescinded|pulled|retracted|revoked)`, 0.9),
  cue(`(?:gone|went|go|going|proceed|proceeding|move|moving|decided to go|decided to move forward) (?:forward )?with (?:another|a different|an internal|the other|someone|somebody|other) (?:candidate|applicant|vendor|supplier|agency|provider|firm|bidder|finalist|person|option|partner)?`, 0.85),
  cue(`(?:offer|offered|give|given|gave|award|awarded) (?:${G})?(?:role|position|job|contract|work|business|tender) to (?:another|the other|a different|someone|an internal|one of)`, 0.85),
  cue(`(?:selected|chosen|chose|picked|appointed|hired) (?:another|a different|an alternative|an internal|someone else|the other)`, 0.85),
  cue(`(?:awarded|given) to (?:another|the other|a different)|has been awarded to`, 0.75),
  cue(`(?:through|with) (?:another|a different|a single|a new) (?:agency|vendor|supplier|provider|recruiter|firm|partner)`, 0.7),
  cue(`(?:declined|rejected|turned down|not accepted|not approved) (?:${G})?(?:your|the|our|this) (?:${G})?(?:proposal|bid|application|request|tender|quote|pitch|submission|offer|candidacy)`, 0.85),
  cue(`(?:proposal|bid|application|request|tender|pitch|submission|candidacy) (?:${G})?(?:was|has been|were|have been|is) (?:not successful|unsuccessful|declined|rejected|turned down|not approved)`, 0.9),
  cue(`(?:it is|it was|the answer is|the answer was|they have said|they said|they have come back and it is) (?:a )?(?:no|a no)`, 0.85),
  cue(`(?:have|has|had) said no|said no unfortunately|is a no|was a no|it is a no`, 0.85),
  cue(`decided to pass|(?:passing|pass|passed) on (?:you|your|this one|the opportunity)`, 0.8),
  cue(`no longer (?:need|require|requires|needs|hiring|recruiting|going ahead|proceeding|considering|moving forward|have the budget|able to offer)`, 0.8),
  cue(`off the table|are both off|is off for now|are off for now|(?:will not|is not going to|are not going to|is not|are not) (?:be )?go(?:ing)? ahead`, 0.75),
  cue(`regret to (?:inform|tell|let you know|advise)`, 0.8),
  cue(`(?:budget|funding) (?:${G})?(?:was|has been|had been|got|is being) (?:cut|pulled|withdrawn|frozen|slashed)`, 0.75),
  cue(`not (?:be )?(?:able|in a position) to (?:offer you|continue with|proceed with|move forward with|take (?:this|you|things) (?:any )?further)`, 0.8),
];

// The first word of every cue, as a bitmask of the cues it can open: a cue
// (anchored at a word start) can only match where its first word is a token,
// so a sentence with none of them has no cue, and only the cues whose first
// word is present need to run.
const FIRST_WORDS: string[][] = [
  ["decided", "decision", "chosen", "opted", "agreed"],
  ["not"],
  ["not"],
  ["will", "shall", "can", "could", "are", "is"],
  ["not", "no"],
  ["have", "has", "was", "were", "is", "are", "been"],
  ["filled", "closed", "cancelled", "canceled", "withdrawn", "scrapped", "pulled"],
  ["filled", "cancelled", "canceled", "scrapped", "pulled", "closed"],
  ["role", "position", "vacancy", "job", "opening", "requisition", "requisitions", "search", "appointment", "post", "process", "project", "campaign", "programme", "program"],
  ["put", "putting", "placed", "placing", "kept"],
  ["on"],
  ["hiring", "recruitment", "recruiting", "headcount", "budget", "spending"],
  ["frozen", "froze", "freezing", "paused", "pausing", "pause", "suspended", "suspending"],
  ["decided", "agreed", "chosen"],
  ["been", "is", "was"],
  ["withdrawn", "withdrew", "withdraw", "rescinded", "rescind", "rescinding", "pulled", "retracted", "revoked"],
  ["offer"],
  ["gone", "went", "go", "going", "proceed", "proceeding", "move", "moving", "decided"],
  ["offer", "offered", "give", "given", "gave", "award", "awarded"],
  ["selected", "chosen", "chose", "picked", "appointed", "hired"],
  ["awarded", "given", "has"],
  ["through", "with"],
  ["declined", "rejected", "turned", "not"],
  ["proposal", "bid", "application", "request", "tender", "pitch", "submission", "candidacy"],
  ["it", "the", "they"],
  ["have", "has", "had", "said", "is", "was", "it"],
  ["decided", "passing", "pass", "passed"],
  ["no"],
  ["off", "are", "is", "will"],
  ["regret"],
  ["budget", "funding"],
  ["not"],
];
if (FIRST_WORDS.length !== CUES.length) throw new Error("badnews: FIRST_WORDS must list one entry per cue");
const CUE_MASK = new Map<string, number>();
FIRST_WORDS.forEach((words, i) => {
  for (const w of words) CUE_MASK.set(w, (CUE_MASK.get(w) ?? 0) | (1 << i));
});

// news about someone else: not the recipient's loss
const THIRD_PARTY = /(?:^| )(?:with|to) (?:the )?other (?:two |three |\d )?(?:candidates|applicants|finalists)|(?:^| )(?:he|she|they) (?:has|have|had) (?:left|pulled out|withdrawn|resigned)|(?:^| )sorry to hear(?: |$)|(?:^| )other finalist (?:has|had) pulled out/;
// a delay with the outcome still open
const STILL_OPEN = /(?:^| )(?:no news yet|not (?:heard|had) (?:back|anything)|still (?:open|keen|live|in the running)|need(?:s)? (?:another|more) (?:week|time|days)|has not changed|nothing has changed)(?: |$)/;

export interface BadNewsHit { confidence: number; from: number; to: number }

// per-token cue masks of the sentence at hand (reused: no allocation per sentence)
let tokenMasks = new Int32Array(64);

/** The strongest bad-news cue in one sentence, or null. */
export function findBadNews(tk: Tokenized): BadNewsHit | null {
  const { norm, tokens, starts } = tk;
  const n = tokens.length;
  if (norm.length === 0) return null;
  if (tokenMasks.length < n) tokenMasks = new Int32Array(n * 2);
  const tm = tokenMasks;
  let mask = 0;
  for (let i = 0; i < n; i++) {
    const bits = CUE_MASK.get(tokens[i].n) ?? 0;
    tm[i] = bits;
    mask |= bits;
  }
  if (mask === 0) return null;
  let best: BadNewsHit | null = null;
  for (let k = 0; k < CUES.length; k++) {
    const bit = 1 << k;
    if ((mask & bit) === 0) continue;
    const c = CUES[k];
    if (best && best.confidence >= c.confidence) continue;
    // the leftmost match: the cue tried at each token that can open it, left to right
    const re = c.re;
    let m: RegExpExecArray | null = null;
    for (let i = 0; i < n && m === null; i++) {
      if ((tm[i] & bit) === 0) continue;
      re.lastIndex = starts[i];
      m = re.exec(norm);
    }
    if (!m) continue;
    const from = tokenAt(tk, m.index);
    const to = tokenAt(tk, m.index + m[0].length - 1);
    // "if they decide not to proceed" is a hypothetical
    if (hypothetical(tokens, from)) continue;
    best = { confidence: c.confidence, from, to };
  }
  if (best === null) return null;
  if (THIRD_PARTY.test(norm) || STILL_OPEN.test(norm)) return null;
  // questions ask; they do not announce
  if (tokens[n - 1].n === "?") return null;
  return best;
}

function hypothetical(tokens: Tokenized["tokens"], from: number): boolean {
  for (let i = Math.max(0, from - 6); i < from; i++) {
    const t = tokens[i].n;
    if (t === "if" || t === "whether" || t === "unless") return true;
  }
  return false;
}

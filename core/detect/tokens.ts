// Word tokens of one sentence with a lower-cased, contraction-expanded form,
// joined into a space-separated string the grammar's regexes run over, with a
// map back to the original characters.

export interface Token {
  /** Normalised form: lower case, straight apostrophe, contractions expanded. */
  n: string;
  /** Start and end offsets in the source sentence. */
  s: number;
  e: number;
  /** The original spelling starts with a capital letter. */
  cap: boolean;
}

export interface Tokenized {
  tokens: Token[];
  /** Normalised forms joined by single spaces. */
  norm: string;
  /** Start offset of each token in `norm`. */
  starts: number[];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const PUNCT = new Map<number, string>([
  [44, ","], [59, ";"], [58, ":"], [63, "?"], [33, "!"], [46, "."], [40, "("], [41, ")"], [34, "\""],
  [0x201c, "\""], [0x201d, "\""], [0x2013, ","], [0x2014, ","], [38, "and"],
]);
function isAsciiWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}
function isWordChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return WORD_CHAR.test(ch);
}

const CONTRACTION_IS = new Set(["it", "that", "there", "what", "he", "she", "here", "who", "where"]);
const SPELLING_LIST: Record<string, string[]> = {
  "won't": ["will", "not"],
  "can't": ["can", "not"],
  cannot: ["can", "not"],
  "shan't": ["shall", "not"],
  "let's": ["let", "us"],
  gonna: ["going", "to"],
  wanna: ["want", "to"],
  gotta: ["got", "to"],
  u: ["you"],
  ur: ["your"],
  tmrw: ["tomorrow"],
  tmr: ["tomorrow"],
  tmw: ["tomorrow"],
  tmrow: ["tomorrow"],
  tomoz: ["tomorrow"],
  "2moro": ["tomorrow"],
  "2morrow": ["tomorrow"],
  tomorow: ["tomorrow"],
  tommorow: ["tomorrow"],
  tommorrow: ["tomorrow"],
  arvo: ["afternoon"],
  "e-mail": ["email"],
  "follow-up": ["follow", "up"],
  "im": ["i", "am"],
  lemme: ["let", "me"],
  "ive": ["i", "have"],
  b4: ["before"],
  "2day": ["today"],
  "2nite": ["tonight"],
  tonite: ["tonight"],
  thru: ["through"],
  pls: ["please"],
  plz: ["please"],
};

// Words after which a lone "ill" is the typo for "I'll".
const AFTER_ILL = new Set([
  "get", "send", "call", "let", "be", "come", "update", "revert", "confirm", "keep", "have",
  "follow", "touch", "circle", "drop", "reach", "ring", "email", "message", "share", "give", "try", "aim",
]);

const CLAUSE_START = new Set([",", ".", "!", ";", ":", "and", "so", "but", "then", "ok", "okay", "sure", "thanks", "thx", "yes", "yep", "np", "k"]);
const NOT_AFTER_ILL = new Set(["health", "effect", "effects", "will", "feeling", "advised", "at", "and", "with", "for", "since", "today", "again", "too", "?", ".", ",", "!"]);

// a Map, so that words such as "constructor" never reach Object.prototype
const SPELLINGS = new Map<string, string[]>(Object.entries(SPELLING_LIST));
// the lengths (bits) of the SPELLINGS keys by their first character: most words need no look-up
const SPELLING_LENGTHS = new Int32Array(128);
for (const k of SPELLINGS.keys()) SPELLING_LENGTHS[k.charCodeAt(0)] |= 1 << k.length;
function spellingOf(w: string): string[] | undefined {
  const c = w.charCodeAt(0);
  const len = w.length;
  if (c >= 128 || len > 30 || (SPELLING_LENGTHS[c] & (1 << len)) === 0) return undefined;
  return SPELLINGS.get(w);
}

function expand(word: string): string[] | string {
  let w = word.toLowerCase();
  if (w.includes("’")) w = w.replace(/’/g, "'");
  const fixed = spellingOf(w);
  if (fixed) return fixed;
  if (w.startsWith("mid-") && w.length > 4) return ["mid", w.slice(4)];
  const q = w.indexOf("'");
  if (q > 0) {
    const head = w.slice(0, q);
    const tail = w.slice(q);
    switch (tail) {
      case "'ll": return [head, "will"];
      case "'d": return [head, "would"];
      case "'ve": return [head, "have"];
      case "'m": return [head, "am"];
      case "'re": return [head, "are"];
      case "'s": return CONTRACTION_IS.has(head) ? [head, "is"] : [head, "'s"];
      case "'t":
        if (head.endsWith("n")) return [head.slice(0, -1), "not"];
        break;
    }
  }
  return w;
}

/** Tokenise one sentence. Linear in its length. */
export function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === 32) { i++; continue; }
    if (code < 128 ? isAsciiWord(code) : WORD_CHAR.test(text[i])) {
      // a word made only of lower-case ASCII letters and digits needs no expansion beyond SPELLINGS
      let plain = code < 128 && (code >= 97 || code <= 57);
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c < 128) {
          if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) { j++; continue; }
          if (c >= 65 && c <= 90) { plain = false; j++; continue; }
        } else if (WORD_CHAR.test(text[j])) { plain = false; j++; continue; }
        // ' ’ . / : - join two word characters ("I'll", "12/03", "10:30am", "e-mail")
        if ((c === 39 || c === 0x2019 || c === 46 || c === 47 || c === 58 || c === 45) && j + 1 < n && isWordChar(text[j + 1])) { plain = false; j += 2; continue; }
        break;
      }
      const word = text.slice(i, j);
      const parts = plain ? spellingOf(word) ?? word : expand(word);
      const cap = code < 128 ? code >= 65 && code <= 90 : text[i] !== text[i].toLowerCase();
      if (typeof parts === "string") tokens.push({ n: parts, s: i, e: j, cap });
      else for (const p of parts) tokens.push({ n: p, s: i, e: j, cap });
      i = j;
      continue;
    }
    const punct = PUNCT.get(code);
    if (punct !== undefined) {
      tokens.push({ n: punct, s: i, e: i + 1, cap: false });
    } else if (code === 45 && i > 0 && text.charCodeAt(i - 1) === 32 && i + 1 < n && text.charCodeAt(i + 1) === 32) {
      tokens.push({ n: ",", s: i, e: i + 1, cap: false });
    }
    i++;
  }
  // "ill get back" → "i will get back"; a clause-initial "ill" is "I'll" too ("ill look at it")
  for (let k = 0; k < tokens.length - 1; k++) {
    if (tokens[k].n !== "ill") continue;
    const prev = k > 0 ? tokens[k - 1].n : null;
    const clauseStart = prev === null || CLAUSE_START.has(prev);
    if (AFTER_ILL.has(tokens[k + 1].n) || (clauseStart && !NOT_AFTER_ILL.has(tokens[k + 1].n))) {
      const t = tokens[k];
      tokens.splice(k, 1, { ...t, n: "i" }, { ...t, n: "will" });
    }
  }
  // texting: "back 2 u" → "back to you", "w/ you" → "with you"
  for (let k = 1; k < tokens.length - 1; k++) {
    const t = tokens[k].n;
    if ((t === "2" || t === "w") && tokens[k + 1].n === "you" && /^[a-z]/.test(tokens[k - 1].n)) {
      tokens[k] = { ...tokens[k], n: t === "2" ? "to" : "with" };
    }
  }
  const starts: number[] = [];
  const words: string[] = [];
  let pos = 0;
  for (let k = 0; k < tokens.length; k++) {
    const w = tokens[k].n;
    starts.push(pos);
    words.push(w);
    pos += w.length + 1;
  }
  return { tokens, norm: words.join(" "), starts };
}

/** Index of the token that covers character `c` of `norm`. */
export function tokenAt(tk: Tokenized, c: number): number {
  const { starts } = tk;
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= c) lo = mid; else hi = mid - 1;
  }
  return lo;
}

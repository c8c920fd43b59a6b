// Sentence spans of the zoned text. A line break ends a sentence unless the
// line was hard-wrapped (the next line goes on in lower case); very long runs
// without punctuation are cut so that later stages see bounded input.

export type Span = [number, number];

const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "etc", "eg", "ie", "e.g", "i.e", "approx", "no", "inc",
  "ltd", "co", "corp", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
  "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "a.m", "p.m", "u.s", "u.k", "ref", "tel", "ext",
]);
export const MAX_SENTENCE = 1000;
// a line ending in one of these words goes on on the next line
const CONTINUES = /(?:^|\s)(?:and|or|but|by|to|the|a|an|on|in|of|for|with|at|from|so|that|until|before|after|your|my|our|their|will|i'll|we'll|i|we|you|is|are|be|this|next|get|send)\s*$/i;

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 0xa0;
}
function isLower(c: string): boolean {
  return c !== c.toUpperCase() && c === c.toLowerCase();
}
/** isLower of the character at `k`, without a string for ASCII. */
function isLowerAt(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return c >= 97 && c <= 122;
  return isLower(text[k]);
}
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const ONE_LETTER = /^\p{L}$/u;

/** Trim [a, b), cut very long runs at a space, and add the pieces to `spans`. */
function pushSpan(spans: Span[], text: string, a: number, b: number): void {
  while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(text.charCodeAt(b - 1))) b--;
  if (b <= a) return;
  // bound the work of later stages: cut very long runs at a space
  while (b - a > MAX_SENTENCE) {
    let cut = a + MAX_SENTENCE;
    const floor = a + MAX_SENTENCE / 2;
    while (cut > floor && !isSpaceCode(text.charCodeAt(cut))) cut--;
    if (cut <= floor) cut = a + MAX_SENTENCE;
    spans.push([a, cut]);
    a = cut;
    while (a < b && isSpaceCode(text.charCodeAt(a))) a++;
  }
  if (b > a) spans.push([a, b]);
}

export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  const n = text.length;
  let start = 0;
  let lineStart = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      // a hard-wrapped line goes on: previous line has no end punctuation and the next starts in lower case
      let k = i + 1;
      while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
      let p = i - 1;
      while (p >= start && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p--;
      const prev = p >= start ? text.charCodeAt(p) : -1;
      const blank = k < n && text.charCodeAt(k) === 10;
      const thisLine = lineStart;
      const lineLength = i - thisLine;
      lineStart = i + 1;
      if (!blank && k < n && prev !== -1 && prev !== 46 && prev !== 33 && prev !== 63 && prev !== 58 && prev !== 59 &&
        (isLowerAt(text, k) || (LETTER_OR_DIGIT.test(text[k]) && prev !== 44 && (lineLength >= 50 || CONTINUES.test(text.slice(Math.max(thisLine, i - 12), i)))))) continue;
      pushSpan(spans, text, start, i);
      start = i + 1;
      continue;
    }
    if (c !== 46 && c !== 33 && c !== 63) continue;
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      // . ! ? " ” ’ ) '
      if (d === 46 || d === 33 || d === 63 || d === 34 || d === 0x201d || d === 0x2019 || d === 41 || d === 39) j++;
      else break;
    }
    if (j < n && !isSpaceCode(text.charCodeAt(j))) continue;
    let k = j;
    while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    if (k < n && text.charCodeAt(k) !== 10 && isLowerAt(text, k)) continue;
    if (c === 46) {
      let w = i - 1;
      while (w >= start && w > i - 12 && !isSpaceCode(text.charCodeAt(w)) && text.charCodeAt(w) !== 40) w--;
      const word = text.slice(w + 1, i).toLowerCase();
      if (ABBREVIATIONS.has(word) || ONE_LETTER.test(word)) continue;
    }
    pushSpan(spans, text, start, j);
    start = j;
    i = j - 1;
  }
  pushSpan(spans, text, start, n);
  return spans;
}

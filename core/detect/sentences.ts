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

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\u00a0";
}
function isLower(c: string): boolean {
  return c !== c.toUpperCase() && c === c.toLowerCase();
}

export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  const n = text.length;
  const push = (a: number, b: number) => {
    while (a < b && isSpace(text[a])) a++;
    while (b > a && isSpace(text[b - 1])) b--;
    if (b <= a) return;
    // bound the work of later stages: cut very long runs at a space
    while (b - a > MAX_SENTENCE) {
      let cut = a + MAX_SENTENCE;
      const floor = a + MAX_SENTENCE / 2;
      while (cut > floor && !isSpace(text[cut])) cut--;
      if (cut <= floor) cut = a + MAX_SENTENCE;
      spans.push([a, cut]);
      a = cut;
      while (a < b && isSpace(text[a])) a++;
    }
    if (b > a) spans.push([a, b]);
  };
  let start = 0;
  let lineStart = 0;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === "\n") {
      // a hard-wrapped line goes on: previous line has no end punctuation and the next starts in lower case
      let k = i + 1;
      while (k < n && (text[k] === " " || text[k] === "\t")) k++;
      let p = i - 1;
      while (p >= start && (text[p] === " " || text[p] === "\t")) p--;
      const prev = p >= start ? text[p] : "";
      const blank = k < n && text[k] === "\n";
      const thisLine = lineStart;
      const lineLength = i - thisLine;
      lineStart = i + 1;
      if (!blank && k < n && prev !== "" && !".!?:;".includes(prev) &&
        (isLower(text[k]) || (/[\p{L}\p{N}]/u.test(text[k]) && prev !== "," && (lineLength >= 50 || CONTINUES.test(text.slice(Math.max(thisLine, i - 12), i)))))) continue;
      push(start, i);
      start = i + 1;
      continue;
    }
    if (c !== "." && c !== "!" && c !== "?") continue;
    let j = i + 1;
    while (j < n && (text[j] === "." || text[j] === "!" || text[j] === "?" || text[j] === "\"" || text[j] === "”" || text[j] === "’" || text[j] === ")" || text[j] === "'")) j++;
    if (j < n && !isSpace(text[j])) continue;
    let k = j;
    while (k < n && (text[k] === " " || text[k] === "\t")) k++;
    if (k < n && text[k] !== "\n" && isLower(text[k])) continue;
    if (c === ".") {
      let w = i - 1;
      while (w >= start && w > i - 12 && !isSpace(text[w]) && text[w] !== "(") w--;
      const word = text.slice(w + 1, i).toLowerCase();
      if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word)) continue;
    }
    push(start, j);
    start = j;
    i = j - 1;
  }
  push(start, n);
  return spans;
}

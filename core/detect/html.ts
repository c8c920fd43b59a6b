// HTML to plain text in one linear pass, without a DOM (Workers have none).
// Drops script/style/head, skips quoted history and signature containers by
// tracking their nesting depth, turns block elements into line breaks and
// decodes entities.

const SKIP_CONTENT = new Set(["script", "style", "head", "title", "template", "noscript", "svg", "xml", "object"]);
const VOID = new Set(["br", "img", "hr", "meta", "input", "link", "wbr", "col", "area", "base", "embed", "param", "source", "track", "o:p"]);
const BLOCK = new Set([
  "div", "tr", "li", "ul", "ol", "table", "tbody", "thead", "tfoot", "section", "article", "header", "footer",
  "address", "dd", "dt", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "center", "form", "body", "html",
  "nav", "aside", "main", "figure", "caption", "fieldset",
]);
const PARAGRAPH = new Set(["p", "hr"]);

/** Containers of quoted history: everything inside them is not the sender's new text. */
const QUOTE_CLASS = /(?:^|\s)(?:gmail_quote|gmail_quote_container|yahoo_quoted|moz-cite-prefix|protonmail_quote|x_gmail_quote|gmail_signature|moz-signature|OutlookMessageHeader|AppleOriginalContents)(?:\s|$)/i;
const SIGNATURE_ID = /^(?:x_)?(?:Signature|signature|ms-outlook-mobile-signature)$/;
/** Markers after which the rest of the document is the quoted message (Outlook). */
const REST_IS_QUOTE_ID = /^(?:x_)?(?:divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)$/i;

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " ", rsquo: "’", lsquo: "‘", ldquo: "“", rdquo: "”",
  ndash: "–", mdash: "—", hellip: "…", eacute: "é", egrave: "è", aacute: "á", agrave: "à", oacute: "ó", uacute: "ú",
  iacute: "í", ntilde: "ñ", ccedil: "ç", uuml: "ü", ouml: "ö", auml: "ä", szlig: "ß", pound: "£", euro: "€",
  copy: "©", reg: "®", trade: "™", bull: "•", middot: "·", zwnj: "", zwj: "", shy: "", ensp: " ", emsp: " ", thinsp: " ",
  laquo: "«", raquo: "»", deg: "°", times: "×", frac12: "½", cent: "¢", yen: "¥", sect: "§", para: "¶",
};
const ENTITY = /&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g;

export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(ENTITY, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\uFFFD";
      return String.fromCodePoint(code);
    }
    const v = NAMED[body] ?? NAMED[body.toLowerCase()];
    return v ?? whole;
  });
}

const ATTR_CLASS = /\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const ATTR_ID = /\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const closers = new Map<string, RegExp>();
function closerFor(name: string): RegExp {
  let re = closers.get(name);
  if (!re) {
    re = new RegExp(`</${name.replace(/[^a-z0-9:_-]/g, "")}\\s*>`, "gi");
    closers.set(name, re);
  }
  return re;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 58 || c === 95 || c === 45;
}

/** Index of the ">" that ends a tag whose name ends before `from` (or html.length), honouring quoted attribute values. */
function tagEnd(html: string, from: number): number {
  const n = html.length;
  let q = 0;
  let g = from;
  for (; g < n; g++) {
    const c = html.charCodeAt(g);
    if (q !== 0) { if (c === q) q = 0; continue; }
    if (c === 34 || c === 39) { if (html.charCodeAt(g - 1) === 61 || html.charCodeAt(g - 1) === 32) q = c; continue; }
    if (c === 62 /* > */) break;
  }
  return g;
}

const JS_SPACE = /\s/;
/** What the regex class \s matches, for one UTF-16 code unit. */
function isJsSpace(html: string, k: number): boolean {
  const c = html.charCodeAt(k);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return JS_SPACE.test(html[k]);
}

/**
 * The next opening or closing tag of `name` (any case, followed by a space, "/"
 * or ">"), or comment opener, at or after `from`: its index, or -1. `name` is
 * lower case [a-z0-9:_-]. Returns the kind in `found` without allocating:
 * 0 comment, 1 opening tag, 2 closing tag; `foundEnd` is the index after the name.
 */
let found = 0;
let foundEnd = 0;
function nextTagOf(html: string, name: string, from: number): number {
  const n = html.length;
  const len = name.length;
  let p = html.indexOf("<", from);
  while (p >= 0) {
    if (html.startsWith("<!--", p)) { found = 0; foundEnd = p + 4; return p; }
    const closing = html.charCodeAt(p + 1) === 47;
    const q = p + 1 + (closing ? 1 : 0);
    let ok = q + len < n;
    for (let t = 0; ok && t < len; t++) {
      const nc = name.charCodeAt(t);
      const c = html.charCodeAt(q + t);
      ok = nc >= 97 && nc <= 122 ? (c | 0x20) === nc : c === nc;
    }
    if (ok) {
      const la = html.charCodeAt(q + len);
      if (la === 47 || la === 62 || isJsSpace(html, q + len)) {
        found = closing ? 2 : 1;
        foundEnd = q + len;
        return p;
      }
    }
    p = html.indexOf("<", p + 1);
  }
  return -1;
}

/** The text being built: output pieces and the whitespace state at its end. */
interface Out {
  out: string[];
  /** Newlines at the end of the output; the start of output counts as a line start. */
  trailingNewlines: number;
  pendingSpace: boolean;
  preDepth: number;
}

function newline(o: Out, count: number): void {
  o.pendingSpace = false;
  while (o.trailingNewlines < count) {
    o.out.push("\n");
    o.trailingNewlines++;
  }
}
function hardBreak(o: Out): void {
  o.pendingSpace = false;
  o.out.push("\n");
  o.trailingNewlines++;
}
function cellGap(o: Out): void {
  if (o.trailingNewlines === 0) o.pendingSpace = true;
}
const SPACE_RUN = /[\s\u00a0]+/g;
function text(o: Out, raw: string): void {
  if (raw.length === 0) return;
  const decoded = decodeEntities(raw);
  if (o.preDepth > 0) {
    o.out.push(decoded);
    let t = 0;
    while (t < decoded.length && decoded.charCodeAt(decoded.length - 1 - t) === 10) t++;
    o.trailingNewlines = t === decoded.length ? o.trailingNewlines + t : t;
    return;
  }
  const collapsed = decoded.replace(SPACE_RUN, " ");
  if (collapsed === " ") {
    if (o.trailingNewlines === 0) o.pendingSpace = true;
    return;
  }
  let piece = collapsed;
  if (piece.startsWith(" ")) {
    piece = piece.slice(1);
    if (o.trailingNewlines === 0) o.pendingSpace = true;
  }
  const endsSpace = piece.endsWith(" ");
  if (endsSpace) piece = piece.slice(0, -1);
  if (piece.length === 0) return;
  if (o.pendingSpace && o.trailingNewlines === 0) o.out.push(" ");
  o.out.push(piece);
  o.trailingNewlines = 0;
  o.pendingSpace = endsSpace;
}

export function htmlToText(html: string): string {
  const o: Out = { out: [], trailingNewlines: 1, pendingSpace: false, preDepth: 0 };
  let skipName: string | null = null;
  let skipDepth = 0;
  const n = html.length;

  let i = 0;
  while (i < n) {
    if (skipName !== null) {
      // inside quoted history: jump from one tag of the same name to the next, counting the nesting
      let from = i;
      i = n;
      let p: number;
      while ((p = nextTagOf(html, skipName, from)) >= 0) {
        if (found === 0) {
          const c = html.indexOf("-->", p + 4);
          if (c < 0) break;
          from = c + 3;
          continue;
        }
        const g = tagEnd(html, foundEnd);
        const next = g < n ? g + 1 : n;
        if (found === 2) skipDepth--;
        else if (html.charCodeAt(g - 1) !== 47 && !VOID.has(skipName)) skipDepth++;
        if (skipDepth === 0) { skipName = null; newline(o, 1); i = next; break; }
        from = next;
      }
      continue;
    }
    const lt = html.indexOf("<", i);
    const end = lt < 0 ? n : lt;
    if (end > i) text(o, html.slice(i, end));
    if (lt < 0) break;
    // comments, doctype, CDATA, processing instructions
    if (html.startsWith("<!--", lt)) {
      const c = html.indexOf("-->", lt + 4);
      i = c < 0 ? n : c + 3;
      continue;
    }
    const c1 = html.charCodeAt(lt + 1);
    if (c1 === 33 /* ! */ || c1 === 63 /* ? */) {
      const c = html.indexOf(">", lt + 2);
      i = c < 0 ? n : c + 1;
      continue;
    }
    const closing = c1 === 47; /* / */
    let j = lt + (closing ? 2 : 1);
    let k = j;
    while (k < n && isNameChar(html.charCodeAt(k))) k++;
    if (k === j) {
      text(o, "<");
      i = lt + 1;
      continue;
    }
    const name = html.slice(j, k).toLowerCase();
    const g = tagEnd(html, k);
    i = g < n ? g + 1 : n;
    const selfClosing = g > k && html.charCodeAt(Math.min(g, n) - 1) === 47; /* "/>" */

    if (closing) {
      if (name === "pre" && o.preDepth > 0) o.preDepth--;
      if (PARAGRAPH.has(name)) newline(o, 2);
      else if (BLOCK.has(name)) newline(o, 1);
      else if (name === "td" || name === "th") cellGap(o);
      continue;
    }
    if (SKIP_CONTENT.has(name) && !selfClosing) {
      const re = closerFor(name);
      re.lastIndex = i;
      const m = re.exec(html);
      i = m ? m.index + m[0].length : n;
      continue;
    }
    const attrs = g > k ? html.slice(k, Math.min(g, n)) : "";
    if (attrs.length > 0) {
      const idm = ATTR_ID.exec(attrs);
      const id = idm ? idm[1] ?? idm[2] ?? idm[3] ?? "" : "";
      if (id && REST_IS_QUOTE_ID.test(id)) break;
      const cm = ATTR_CLASS.exec(attrs);
      const cls = cm ? cm[1] ?? cm[2] ?? cm[3] ?? "" : "";
      if ((cls && QUOTE_CLASS.test(cls)) || (id && SIGNATURE_ID.test(id))) {
        if (!selfClosing && !VOID.has(name)) { skipName = name; skipDepth = 1; }
        continue;
      }
    }
    if (name === "blockquote" && !selfClosing) {
      skipName = name;
      skipDepth = 1;
      newline(o, 1);
      continue;
    }
    if (name === "br") { hardBreak(o); continue; }
    if (name === "pre") o.preDepth++;
    if (PARAGRAPH.has(name)) newline(o, 2);
    else if (BLOCK.has(name)) newline(o, 1);
    else if (name === "td" || name === "th") cellGap(o);
  }
  return o.out.join("").split("\n").map((l) => l.trimEnd()).join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

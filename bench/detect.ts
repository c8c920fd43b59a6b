// Detector benchmark: throughput on the dev corpus against chrono-node's parser
// alone, p99 latency on a ~100 KB HTML reply, growth with input size, and the
// browser bundle size of core/detect.
//   npx tsx bench/detect.ts
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import * as chrono from "chrono-node";
import { build } from "esbuild";
import { detect, type DetectInput } from "../core/detect/index";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function corpus(): DetectInput[] {
  const out: DetectInput[] = [];
  for (const f of ["promises-dev.jsonl", "badnews-dev.jsonl"]) {
    const p = join(root, "..", "shared", "corpus", f);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const c = JSON.parse(line);
      out.push({ text: c.text, html: c.html, sentAt: c.sentAt, timeZone: c.timeZone, locale: c.locale });
    }
  }
  return out;
}

/** Runs `fn` over all messages repeatedly for about `ms`; messages per second. */
function throughput(messages: DetectInput[], fn: (m: DetectInput) => unknown, ms = 1500): number {
  for (const m of messages) fn(m); // warm-up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (const m of messages) fn(m);
    n += messages.length;
  }
  return n / ((performance.now() - t0) / 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * A ~100 KB HTML reply: new text, signature table, then a long quoted thread,
 * either after Outlook's divRplyFwdMsg (the rest is skipped at once) or inside
 * nested Gmail blockquotes (every tag is still read to track the nesting).
 */
function bigHtml(targetBytes: number, style: "outlook" | "gmail"): string {
  const head = `<html><head><style>p{margin:0}</style></head><body><div>Hi Anil,</div><div>Thanks for the notes. I'll send the revised schedule by Friday, and I'll call you tomorrow to go through it.</div><div>Regards,<br>Priya</div><div id="Signature"><table><tr><td><b>Priya Nair</b><br>Talent Acquisition</td></tr></table></div>`;
  const quoted = `<div><p>Hi Priya, the client reviewed the shortlist and will revert in a day or two with interview slots. Please confirm by tomorrow whether the candidates can join on 4 January.</p><blockquote>Earlier: I'll get back to you next week with the final numbers &amp; the contract.</blockquote></div>`;
  if (style === "outlook") {
    let body = head + `<hr><div id="divRplyFwdMsg"><b>From:</b> Anil<br><b>Sent:</b> Thursday</div>`;
    while (body.length < targetBytes) body += quoted;
    return body + "</body></html>";
  }
  let body = head + `<div class="gmail_quote"><div class="gmail_attr">On Thu, 3 Dec 2026 at 12:41, Anil wrote:</div><blockquote class="gmail_quote">`;
  let depth = 0;
  while (body.length < targetBytes) {
    body += quoted + `<div class="gmail_quote"><blockquote class="gmail_quote">`;
    depth++;
  }
  return body + "</blockquote></div>".repeat(depth + 1) + "</body></html>";
}

function plainOfSize(bytes: number): string {
  const para = "Thanks for the call today. The client is reviewing the shortlist and I'll get back to you by Friday with their feedback, once the panel has met.\n\n";
  return para.repeat(Math.ceil(bytes / para.length)).slice(0, bytes);
}

function timePerCall(input: DetectInput, minMs = 300): number {
  detect(input);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || n < 3) {
    detect(input);
    n++;
  }
  return (performance.now() - t0) / n;
}

async function bundleSize(): Promise<{ minified: number; gzipped: number }> {
  const r = await build({
    stdin: { contents: `export { detect } from "./core/detect/index";`, resolveDir: root, loader: "ts" },
    bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent",
  });
  const code = r.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

export async function benchDetect(): Promise<Record<string, unknown>> {
  const messages = corpus();
  const detectRate = throughput(messages, (m) => detect(m));
  const chronoRate = throughput(messages, (m) => chrono.parse(m.text ?? m.html ?? "", new Date(String(m.sentAt))));

  const latency = (html: string) => {
    const input: DetectInput = { html, sentAt: "2026-12-03T08:35:00Z", timeZone: "Asia/Kolkata", locale: "en-GB" };
    for (let i = 0; i < 50; i++) detect(input);
    const samples: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t0 = performance.now();
      detect(input);
      samples.push(performance.now() - t0);
    }
    return samples.sort((a, b) => a - b);
  };
  const outlook = bigHtml(100_000, "outlook");
  const gmail = bigHtml(100_000, "gmail");
  const outlookMs = latency(outlook);
  const gmailMs = latency(gmail);

  const growth: Record<string, number> = {};
  for (const [label, bytes] of [["1KB", 1_000], ["10KB", 10_000], ["100KB", 100_000], ["1MB", 1_000_000]] as const) {
    growth[label] = timePerCall({ text: plainOfSize(bytes), sentAt: "2026-11-18T10:15:00Z", timeZone: "Europe/London" }, bytes >= 1_000_000 ? 1500 : 300);
  }
  const size = await bundleSize();
  return {
    corpusMessages: messages.length,
    detectMessagesPerSecond: Math.round(detectRate),
    chronoParseMessagesPerSecond: Math.round(chronoRate),
    html100KBBytes: gmail.length,
    html100KBOutlookP50Ms: +percentile(outlookMs, 50).toFixed(4),
    html100KBOutlookP99Ms: +percentile(outlookMs, 99).toFixed(4),
    html100KBGmailNestedP50Ms: +percentile(gmailMs, 50).toFixed(4),
    html100KBGmailNestedP99Ms: +percentile(gmailMs, 99).toFixed(4),
    msPerCall1KB: +growth["1KB"].toFixed(4),
    msPerCall10KB: +growth["10KB"].toFixed(4),
    msPerCall100KB: +growth["100KB"].toFixed(4),
    msPerCall1MB: +growth["1MB"].toFixed(4),
    bundleMinifiedBytes: size.minified,
    bundleGzipBytes: size.gzipped,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchDetect();
  console.table(Object.entries(r).map(([metric, value]) => ({ metric, value })));
}

// Scan throughput and memory: writes a 100,000-message mbox (2–5 KB messages in
// threads, about a third sent by the user), scans it into a counting sink and
// reports messages/s, MB/s and peak RSS. Targets: ≥ 5,000 messages/s, < 300 MB.
// The detector runs where `kept scan` runs it: in the parsing worker, beside the parse.
// Run: npx tsx bench/scan.ts   (BENCH_MESSAGES=20000 for a quicker run, BENCH_DETECT=0 to leave the detector out,
// BENCH_DETECT=main to run it on the main thread instead, BENCH_EARLY=0 not to start the worker during the first pass, BENCH_MBOX=FILE to scan a mailbox written before with
// --generate instead of writing one)
import { execFileSync } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { scanMailbox, type ScanSink } from "../server/import/scan";

const ME = "sam.taylor@example.com";
const MB = 1024 * 1024;

/** A small deterministic PRNG so every run writes the same mailbox. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES = [
  "Thanks for your time on the phone earlier today.",
  "I've passed your details on to the hiring manager.",
  "I'll get back to you by Friday with their feedback.",
  "The client is reviewing applications this week.",
  "Could you send me your availability for next week?",
  "Unfortunately the client has decided not to progress with your application.",
  "I will let you know as soon as I hear anything.",
  "The role is hybrid, three days a week in the London office.",
  "Let me check with the team and come back to you tomorrow.",
  "Please find the job description attached for your reference.",
  "We are still waiting on the budget sign-off from finance.",
  "The salary range is £55,000 to £62,000 plus a 10% bonus.",
  "Happy to have a quick call if that is easier for you.",
  "I'll keep you posted on the next steps.",
];

function paragraph(r: () => number, words: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < words) {
    const s = SENTENCES[Math.floor(r() * SENTENCES.length)];
    out.push(s);
    n += s.split(" ").length;
  }
  return out.join(" ").replace(/(.{1,72})(\s|$)/g, "$1\n");
}

function qp(s: string): string {
  return Buffer.from(s, "utf8")
    .toString("latin1")
    .replace(/[=\x80-\xff]/g, (c) => "=" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

export async function writeBenchMbox(path: string, count: number, seed = 42): Promise<number> {
  const r = rng(seed);
  const out = createWriteStream(path);
  let buf: string[] = [];
  let bufLen = 0;
  const flush = async () => {
    if (!out.write(buf.join(""))) await new Promise<void>((res) => out.once("drain", () => res()));
    buf = [];
    bufLen = 0;
  };
  const start = Date.UTC(2025, 10, 1);
  let written = 0;
  let thread = 0;
  while (written < count) {
    thread++;
    const person = `candidate${Math.floor(r() * 3000)}@example.org`;
    const name = `Candidate ${thread % 977}`;
    const len = 1 + Math.floor(r() * 6);
    let t = start + Math.floor(r() * 360 * 86_400_000);
    let parent: string | null = null;
    const refs: string[] = [];
    const quoted: string[] = [];
    for (let k = 0; k < len && written < count; k++) {
      // About 40% of the mail is the user's: replies alternate, some threads start with the user.
      const mine = k % 2 === 1 ? r() < 0.75 : k === 0 && r() < 0.25;
      const from = mine ? `Sam Taylor <${ME}>` : `${name} <${person}>`;
      const to = mine ? `${name} <${person}>` : `Sam Taylor <${ME}>`;
      const id = `m${thread}.${k}.${Math.floor(r() * 1e9)}@mail.example.${mine ? "com" : "org"}`;
      const subject = (k > 0 ? "Re: " : "") + `Role ${thread % 5000}: Senior Analyst`;
      const date = new Date(t).toUTCString().replace("GMT", "+0000");
      const newText = paragraph(r, 60 + Math.floor(r() * 220));
      const text = `Hi,\n\n${newText}\nBest,\n${mine ? "Sam" : name}\n` + (quoted.length ? `\nOn ${date}, someone wrote:\n` + quoted[quoted.length - 1].split("\n").map((l) => `> ${l}`).join("\n") : "");
      quoted.push(newText);
      const headers = [
        `Received: from mx${k}.example.net (mx${k}.example.net [192.0.2.${k + 1}]) by mail.example.com with ESMTPS id ${id.slice(0, 12)}; ${date}`,
        `From: ${from}`,
        `To: ${to}`,
        `Subject: ${subject}`,
        `Date: ${date}`,
        `Message-ID: <${id}>`,
        ...(parent ? [`In-Reply-To: <${parent}>`, `References: ${refs.map((x) => `<${x}>`).join("\n ")}`] : []),
        `MIME-Version: 1.0`,
        `X-Mailer: Bench Mail 1.0`,
      ];
      const kind = r();
      let body: string;
      if (kind < 0.4) {
        const b = `b${id.slice(0, 10)}`;
        body =
          `Content-Type: multipart/alternative; boundary="${b}"\n\n--${b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp(text)}\n` +
          `--${b}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp(`<div>${newText.replace(/\n/g, " ")}</div>`)}\n--${b}--\n`;
      } else if (kind < 0.7) {
        body = `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}`;
      } else {
        body = `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp(text)}`;
      }
      const msg = headers.join("\n") + "\n" + body;
      const postmark = `From ${mine ? ME : person} ${new Date(t).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, "$1 $3 $2 $5 $4")}\n`;
      const entry = postmark + msg.replace(/^(>*From )/gm, ">$1") + (msg.endsWith("\n") ? "" : "\n") + "\n";
      buf.push(entry);
      bufLen += entry.length;
      if (bufLen > 4 * MB) await flush();
      refs.push(id);
      parent = id;
      t += Math.floor((0.2 + r() * 5) * 86_400_000);
      written++;
    }
  }
  await flush();
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return (await stat(path)).size;
}

type DetectFn = (input: { text?: string; html?: string; sentAt: number; timeZone: string; locale?: string; subject?: string }) => { commitments: unknown[] };

async function loadDetector(): Promise<DetectFn | null> {
  const file = fileURLToPath(new URL("../core/detect/index.ts", import.meta.url));
  if (!existsSync(file)) return null;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { detect?: DetectFn };
    return typeof mod.detect === "function" ? mod.detect : null;
  } catch (e) {
    console.warn(`warning: core/detect/index.ts failed to load (${(e as Error).message})`);
    return null;
  }
}

export async function benchScan(): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_MESSAGES ?? 100_000);
  const dir = await mkdtemp(join(tmpdir(), "kept-bench-scan-"));
  const file = join(dir, "bench.mbox");
  try {
    // Generated in a child process, so the scan's RSS starts from a clean process.
    const g0 = performance.now();
    const given = process.env.BENCH_MBOX;
    if (given) await symlink(given, file);
    else execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--generate", file, String(count)], { stdio: "inherit" });
    const size = (await stat(file)).size;
    const genSeconds = (performance.now() - g0) / 1000;

    const where = process.env.BENCH_DETECT === "0" ? "none" : process.env.BENCH_DETECT === "main" ? "main" : "worker";
    const detect = where === "main" ? await loadDetector() : null;
    if (where === "none") console.warn("warning: BENCH_DETECT=0, sent bodies go to a no-op detector, so detection cost is NOT measured");
    else if (where === "main" && !detect) throw new Error("core/detect/index.ts did not load; BENCH_DETECT=main needs it");

    let sent = 0;
    let received = 0;
    let commitments = 0;
    let detectMs = 0;
    const sink: ScanSink = {
      async sent(msg, body) {
        sent++;
        if (body.found) commitments += body.found.commitments.length;
        else if (detect) {
          const d0 = performance.now();
          const d = detect({ text: body.text ?? undefined, html: body.html ?? undefined, sentAt: msg.sentAt, timeZone: "Europe/London", locale: "en-GB", subject: msg.subject });
          detectMs += performance.now() - d0;
          commitments += d.commitments.length;
        }
      },
      async received() {
        received++;
      },
    };

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sample = () => {
      const rss = process.memoryUsage().rss;
      if (rss > peak) peak = rss;
    };
    const timer = setInterval(sample, 25);
    const s0 = performance.now();
    let readSeconds = 0;
    let pass1Peak = 0;
    const report = await scanMailbox(file, sink, {
      me: [ME],
      threads: process.env.BENCH_THREADS === undefined ? undefined : Number(process.env.BENCH_THREADS),
      detect: where === "worker" ? { timeZone: "Europe/London", locale: "en-GB" } : undefined,
      early: process.env.BENCH_EARLY !== "0",
      onProgress: (p) => {
        sample();
        if (p.phase === "replay" && readSeconds === 0) {
          readSeconds = (performance.now() - s0) / 1000;
          pass1Peak = peak;
        }
      },
    });
    const seconds = (performance.now() - s0) / 1000;
    clearInterval(timer);
    sample();

    return {
      messages: report.messages,
      mailboxMB: +(size / MB).toFixed(1),
      avgMessageKB: +(size / report.messages / 1024).toFixed(2),
      generateSeconds: +genSeconds.toFixed(2),
      scanSeconds: +seconds.toFixed(2),
      pass1Seconds: +readSeconds.toFixed(2),
      replaySeconds: +(seconds - readSeconds).toFixed(2),
      messagesPerSecond: Math.round(report.messages / seconds),
      mbPerSecond: +(size / MB / seconds).toFixed(1),
      peakRssMB: Math.round(peak / MB),
      pass1PeakRssMB: Math.round(pass1Peak / MB),
      rssBeforeScanMB: Math.round(rssBefore / MB),
      sent,
      received,
      threads: report.threads,
      detectedEarly: report.detectedEarly,
      errors: report.errors,
      detector: where === "worker" ? "core/detect, in the parsing worker (as kept scan runs it)" : where === "main" ? "core/detect, on the main thread" : "none (no-op)",
      detectSecondsOnMainThread: where === "main" ? +(detectMs / 1000).toFixed(2) : null,
      commitments,
      targets: { messagesPerSecond: 5000, peakRssMB: 300 },
      meetsTargets: report.messages / seconds >= 5000 && peak / MB < 300,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === "--generate") await writeBenchMbox(process.argv[3], Number(process.argv[4]));
  else console.log(JSON.stringify(await benchScan(), null, 2));
}

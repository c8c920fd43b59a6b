// `kept detect --jsonl`: one JSON message a line in, one answer a line out, in
// order (shared/spec/promise-detection.md). Streams; a bad line gives an error
// line and the run goes on. No Node built-ins: stdin is any async iterable of
// chunks and stdout anything with write().

import { detect } from "./index";

export interface LineSink {
  write(chunk: string): boolean | void;
  once?(event: "drain", listener: () => void): unknown;
}

/** Answer one input line; never throws. */
export function answerLine(line: string): string {
  let id: unknown = null;
  try {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch (e) {
      return JSON.stringify({ id: null, error: `not valid JSON: ${(e as Error).message}` });
    }
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) {
      return JSON.stringify({ id: null, error: "each line must be a JSON object" });
    }
    const m = msg as Record<string, unknown>;
    id = typeof m.id === "string" || typeof m.id === "number" ? m.id : null;
    const text = typeof m.text === "string" ? m.text : undefined;
    const html = typeof m.html === "string" ? m.html : undefined;
    if (text === undefined && html === undefined) return JSON.stringify({ id, error: "the message needs a \"text\" or \"html\" string" });
    if (typeof m.sentAt !== "string" && typeof m.sentAt !== "number") return JSON.stringify({ id, error: "\"sentAt\" must be an ISO 8601 string or epoch milliseconds" });
    if (typeof m.timeZone !== "string") return JSON.stringify({ id, error: "\"timeZone\" must be an IANA time zone name such as \"Europe/London\"" });
    const d = detect({
      text, html, sentAt: m.sentAt, timeZone: m.timeZone,
      locale: typeof m.locale === "string" ? m.locale : undefined,
      subject: typeof m.subject === "string" ? m.subject : undefined,
    });
    return JSON.stringify({
      id,
      promises: d.commitments.map((c) => ({ text: c.sentence, dueDate: c.dueDate })),
      badNews: d.badNews !== null,
    });
  } catch (e) {
    return JSON.stringify({ id, error: e instanceof Error ? e.message : String(e) });
  }
}

/** Read JSONL from `stdin`, write one answer line per non-empty input line to `stdout`. */
export async function runDetectJsonl(stdin: AsyncIterable<string | Uint8Array>, stdout: LineSink): Promise<void> {
  const decoder = new TextDecoder();
  let carry = "";
  const flush = async (out: string) => {
    if (out.length === 0) return;
    const ok = stdout.write(out);
    if (ok === false && stdout.once) await new Promise<void>((resolve) => stdout.once!("drain", resolve));
  };
  for await (const chunk of stdin) {
    carry += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let out = "";
    let nl: number;
    let from = 0;
    while ((nl = carry.indexOf("\n", from)) >= 0) {
      const line = carry.slice(from, nl).replace(/\r$/, "");
      from = nl + 1;
      if (line.trim() !== "") out += answerLine(line) + "\n";
    }
    carry = carry.slice(from);
    await flush(out);
  }
  carry += decoder.decode();
  if (carry.trim() !== "") await flush(answerLine(carry.replace(/\r$/, "")) + "\n");
}

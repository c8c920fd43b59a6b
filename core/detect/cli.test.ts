import { describe, expect, it } from "vitest";
import { answerLine, runDetectJsonl } from "./cli";

async function* chunks(parts: string[]) {
  for (const p of parts) yield new TextEncoder().encode(p);
}
async function run(parts: string[]): Promise<unknown[]> {
  let out = "";
  await runDetectJsonl(chunks(parts), { write: (s: string) => { out += s; return true; } });
  return out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
const msg = (id: string, text: string) => JSON.stringify({ id, text, sentAt: "2026-11-18T10:15:00Z", timeZone: "Europe/London", locale: "en-GB" });

describe("kept detect --jsonl", () => {
  it("answers each line in order, across chunk boundaries, and goes on after bad lines", async () => {
    const input = [msg("a", "I'll get back to you by Friday."), "{not json", msg("b", "Thanks!"), JSON.stringify({ id: 7, text: "x", sentAt: "2026-11-18", timeZone: "Nowhere/Land" }), ""].join("\n");
    const out = await run([input.slice(0, 17), input.slice(17, 80), input.slice(80)]);
    expect(out).toEqual([
      { id: "a", promises: [{ text: "I'll get back to you by Friday.", dueDate: "2026-11-20" }], badNews: false },
      { id: null, error: expect.stringMatching(/JSON/) },
      { id: "b", promises: [], badNews: false },
      { id: 7, error: expect.stringMatching(/IANA/) },
    ]);
  });

  it("reads a last line without a newline and CRLF input", async () => {
    const out = await run([msg("a", "Will revert by EOD.") + "\r\n" + msg("b", "They've filled the role internally.")]);
    expect(out).toEqual([
      { id: "a", promises: [{ text: "Will revert by EOD.", dueDate: "2026-11-18" }], badNews: false },
      { id: "b", promises: [], badNews: true },
    ]);
  });

  it("explains what is missing", () => {
    expect(JSON.parse(answerLine(JSON.stringify({ id: "x", sentAt: "2026-11-18T10:00:00Z", timeZone: "Europe/London" })))).toEqual({ id: "x", error: expect.stringMatching(/text/) });
    expect(JSON.parse(answerLine("[1,2]"))).toEqual({ id: null, error: expect.stringMatching(/object/) });
    expect(JSON.parse(answerLine(JSON.stringify({ id: "y", text: "hi", timeZone: "Europe/London" })))).toEqual({ id: "y", error: expect.stringMatching(/sentAt/) });
  });
});

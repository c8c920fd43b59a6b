// The sample mailbox, written for today: the shipped one moved on by whole weeks
// so its promises are as recent as on the day it was made (see samples/make-sample.ts).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSample, sampleShiftWeeks } from "../samples/make-sample";

export async function writeSample(now: number): Promise<{ dir: string; path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "kept-sample-"));
  const path = join(dir, "sample.mbox");
  await writeFile(path, renderSample({ shiftWeeks: sampleShiftWeeks(now) }));
  return { dir, path, remove: () => rm(dir, { recursive: true, force: true }) };
}

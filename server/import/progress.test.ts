import { describe, expect, it } from "vitest";
import { createProgressBar, formatDuration, renderProgress } from "./progress";

const MB = 1024 * 1024;

describe("renderProgress", () => {
  it("shows share, messages, MB, rate, ETA and errors", () => {
    const line = renderProgress({ messages: 10_000, bytes: 100 * MB, totalBytes: 400 * MB, errors: 2 }, 2_000, 100);
    expect(line).toBe("[########----------------------]  25%  10,000 msgs  100.0/400.0 MB  5,000 msg/s  ETA 0:06  2 errors");
    expect(line.length).toBeLessThanOrEqual(100);
  });

  it("has no ETA before any progress, and fits narrow terminals", () => {
    expect(renderProgress({ messages: 0, bytes: 0, totalBytes: MB, errors: 0 }, 0)).toContain("ETA --:--");
    const narrow = renderProgress({ messages: 5, bytes: MB / 2, totalBytes: MB, errors: 0 }, 1000, 40);
    expect(narrow.length).toBeLessThanOrEqual(40);
  });

  it("says replaying in the second phase", () => {
    expect(renderProgress({ phase: "replay", messages: 50, bytes: MB, totalBytes: MB, errors: 0 }, 1000, 80)).toContain("replaying");
  });

  it.each([
    [0, "0:00"],
    [61_000, "1:01"],
    [3_726_000, "1:02:06"],
    [NaN, "--:--"],
  ])("formatDuration(%s) = %s", (ms, s) => expect(formatDuration(ms)).toBe(s));
});

describe("createProgressBar", () => {
  it("is silent when the output is not a TTY", () => {
    const writes: string[] = [];
    const bar = createProgressBar({ isTTY: false, write: (s) => writes.push(s) }, () => 0);
    bar.update({ messages: 1, bytes: 1, totalBytes: 2, errors: 0 });
    bar.done({ messages: 2, bytes: 2, totalBytes: 2, errors: 0 });
    expect(writes).toEqual([]);
  });

  it("redraws in place at most every interval on a TTY, then ends the line", () => {
    const writes: string[] = [];
    let t = 0;
    const bar = createProgressBar({ isTTY: true, columns: 100, write: (s) => writes.push(s) }, () => t, 100);
    bar.update({ messages: 1, bytes: 1, totalBytes: 4, errors: 0 });
    t = 50;
    bar.update({ messages: 2, bytes: 2, totalBytes: 4, errors: 0 });
    t = 150;
    bar.update({ messages: 3, bytes: 3, totalBytes: 4, errors: 0 });
    bar.done({ messages: 4, bytes: 4, totalBytes: 4, errors: 0 });
    expect(writes).toHaveLength(4);
    expect(writes.slice(0, 3).every((w) => w.startsWith("\r") && w.endsWith("\x1b[K"))).toBe(true);
    expect(writes[2]).toContain("100%");
    expect(writes[3]).toBe("\n");
  });
});

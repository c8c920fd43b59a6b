// The scan's progress line on a terminal: messages, MB, rate and ETA. The line is
// a pure function of the numbers and the clock; the bar writes it only to a TTY.

export interface ProgressState {
  phase?: "read" | "replay";
  messages: number;
  bytes: number;
  totalBytes: number;
  errors: number;
}

const MB = 1024 * 1024;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "--:--";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}` : `${m}:${String(sec).padStart(2, "0")}`;
}

const int = (n: number) => Math.round(n).toLocaleString("en-GB");

/** One line, at most `width` characters: "[####----]  42% 12,345 msgs  120.0/300.0 MB  5,120 msg/s  ETA 0:35  2 errors". */
export function renderProgress(p: ProgressState, elapsedMs: number, width = 80): string {
  const frac = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0;
  const secs = elapsedMs / 1000;
  const rate = secs > 0 ? p.messages / secs : 0;
  const eta = p.phase === "replay" ? NaN : frac > 0 && frac < 1 ? (elapsedMs * (1 - frac)) / frac : frac >= 1 ? 0 : NaN;
  const label = p.phase === "replay" ? "replaying" : `${(p.bytes / MB).toFixed(1)}/${(p.totalBytes / MB).toFixed(1)} MB`;
  const tail = [
    `${String(Math.floor(frac * 100)).padStart(3)}%`,
    `${int(p.messages)} msgs`,
    label,
    `${int(rate)} msg/s`,
    p.phase === "replay" ? "" : `ETA ${formatDuration(eta)}`,
    p.errors ? `${int(p.errors)} error${p.errors === 1 ? "" : "s"}` : "",
  ]
    .filter(Boolean)
    .join("  ");
  const barWidth = Math.max(0, Math.min(30, width - tail.length - 3));
  if (barWidth < 5) return tail.slice(0, width);
  const filled = Math.round(frac * barWidth);
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${tail}`;
}

export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/**
 * A progress bar that redraws at most every `intervalMs` on a TTY and stays
 * silent elsewhere (pipes, CI logs), so `kept scan > out.txt` gets no escapes.
 */
export function createProgressBar(out: ProgressOutput, now: () => number, intervalMs = 100) {
  const started = now();
  let last = -Infinity;
  let drawn = false;
  const draw = (p: ProgressState) => {
    out.write(`\r${renderProgress(p, now() - started, (out.columns ?? 80) - 1)}\x1b[K`);
    drawn = true;
  };
  return {
    update(p: ProgressState): void {
      if (!out.isTTY) return;
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      draw(p);
    },
    /** Draws the final state and moves to a new line. */
    done(p?: ProgressState): void {
      if (!out.isTTY) return;
      if (p) draw(p);
      if (drawn) out.write("\n");
    },
  };
}

// The dashboard's two charts as server-rendered SVG: role="img" with a title and
// a description, and the same numbers in a visually hidden table for screen readers.
import { html } from "hono/html";
import type { Summary } from "../summary";
import { dayMonth } from "./format";

const W = 640;
const H = 240;
const PAD = { left: 40, right: 12, top: 24, bottom: 52 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

/** A round axis maximum at or above `max`, so ticks land on whole numbers. */
export function niceMax(max: number): number {
  if (max <= 4) return 4;
  const unit = max <= 20 ? 2 : 10 ** Math.max(1, Math.floor(Math.log10(max)) - (max < 200 ? 0 : 1));
  return Math.ceil(max / unit) * unit;
}

function yOf(v: number, top: number): number {
  return PAD.top + PLOT_H - (v / top) * PLOT_H;
}

function axis(top: number) {
  const ticks = [0, top / 2, top];
  return ticks.map(
    (t) => html`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${yOf(t, top)}" y2="${yOf(t, top)}"></line>
<text class="tick" x="${PAD.left - 8}" y="${yOf(t, top) + 4}" text-anchor="end">${t}</text>`,
  );
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export function weeklyChart(weekly: Summary["weekly"], locale: string) {
  const made = weekly.reduce((n, w) => n + w.made, 0);
  const kept = weekly.reduce((n, w) => n + w.kept, 0);
  const top = niceMax(Math.max(0, ...weekly.map((w) => Math.max(w.made, w.kept))));
  const group = PLOT_W / Math.max(1, weekly.length);
  const bar = Math.min(18, (group - 10) / 2);
  const bars = weekly.map((w, i) => {
    const x0 = PAD.left + i * group + (group - 2 * bar - 3) / 2;
    const label = dayMonth(w.weekStart, locale);
    return html`<g>
<rect class="bar-made" x="${r1(x0)}" y="${r1(yOf(w.made, top))}" width="${r1(bar)}" height="${r1((w.made / top) * PLOT_H)}" rx="2"><title>Week of ${label}: ${w.made} made</title></rect>
<rect class="bar-kept" x="${r1(x0 + bar + 3)}" y="${r1(yOf(w.kept, top))}" width="${r1(bar)}" height="${r1((w.kept / top) * PLOT_H)}" rx="2"><title>Week of ${label}: ${w.kept} kept</title></rect>
${i % 2 === weekly.length % 2 ? "" : html`<text class="tick" x="${r1(PAD.left + i * group + group / 2)}" y="${H - PAD.bottom + 20}" text-anchor="middle">${label}</text>`}
</g>`;
  });
  return html`<figure class="chart">
<figcaption><h3 id="chart-weekly-h">Promises made and kept, by week</h3>
<ul class="legend" aria-hidden="true"><li><span class="swatch made"></span>Made</li><li><span class="swatch kept"></span>Kept</li></ul></figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-weekly-title chart-weekly-desc" preserveAspectRatio="xMidYMid meet">
<title id="chart-weekly-title">Promises made and kept per week, last ${weekly.length} weeks</title>
<desc id="chart-weekly-desc">${made} made and ${kept} kept over ${weekly.length} weeks. The table after the chart lists each week.</desc>
${axis(top)}
<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + PLOT_H}" y2="${PAD.top + PLOT_H}"></line>
${bars}
</svg>
<table class="visually-hidden"><caption>Promises made and kept per week</caption>
<thead><tr><th scope="col">Week starting</th><th scope="col">Made</th><th scope="col">Kept</th></tr></thead>
<tbody>${weekly.map((w) => html`<tr><th scope="row">${dayMonth(w.weekStart, locale)}</th><td>${w.made}</td><td>${w.kept}</td></tr>`)}</tbody>
</table>
</figure>`;
}

/** A bucket's label on two lines ("over 4" / "weeks"), so six fit side by side on a phone. */
function bucketLabel(label: string, x: number) {
  const cut = label.lastIndexOf(" ");
  if (cut < 0) return html`<text class="tick" x="${x}" y="${H - PAD.bottom + 20}" text-anchor="middle">${label}</text>`;
  return html`<text class="tick" x="${x}" y="${H - PAD.bottom + 20}" text-anchor="middle"><tspan x="${x}">${label.slice(0, cut)}</tspan><tspan x="${x}" dy="1.15em">${label.slice(cut + 1)}</tspan></text>`;
}

export function waitedChart(waited: Summary["waited"]) {
  const total = waited.reduce((n, w) => n + w.count, 0);
  const top = niceMax(Math.max(0, ...waited.map((w) => w.count)));
  const slot = PLOT_W / Math.max(1, waited.length);
  const bar = Math.min(64, slot - 16);
  const bars = waited.map((w, i) => {
    const x = PAD.left + i * slot + (slot - bar) / 2;
    const y = yOf(w.count, top);
    return html`<g>
<rect class="bar-wait" x="${r1(x)}" y="${r1(y)}" width="${r1(bar)}" height="${r1((w.count / top) * PLOT_H)}" rx="3"><title>${w.label}: ${w.count}</title></rect>
${w.count > 0 ? html`<text class="value" x="${r1(x + bar / 2)}" y="${r1(y - 6)}" text-anchor="middle">${w.count}</text>` : ""}
${bucketLabel(w.label, r1(x + bar / 2))}
</g>`;
  });
  return html`<figure class="chart">
<figcaption><h3 id="chart-waited-h">How long people waited</h3><p class="legend-note">Time from your promise to your reply, for promises kept</p></figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-waited-title chart-waited-desc" preserveAspectRatio="xMidYMid meet">
<title id="chart-waited-title">How long people waited for the reply you promised</title>
<desc id="chart-waited-desc">${total} kept promises, grouped by how long the person waited. The table after the chart lists each group.</desc>
${axis(top)}
<line class="axis" x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + PLOT_H}" y2="${PAD.top + PLOT_H}"></line>
${bars}
</svg>
<table class="visually-hidden"><caption>How long people waited</caption>
<thead><tr><th scope="col">Waited</th><th scope="col">Promises</th></tr></thead>
<tbody>${waited.map((w) => html`<tr><th scope="row">${w.label}</th><td>${w.count}</td></tr>`)}</tbody>
</table>
</figure>`;
}

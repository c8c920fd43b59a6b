// The dashboard's stylesheet and icon, served as strings so Node and Workers serve
// them alike. Light and dark follow the system; focus is always visible.
export { JS } from "./client";

export const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="3" y="5" width="26" height="24" rx="6" fill="#1f7a6d"/><path d="M3 12h26" stroke="#fff" stroke-opacity=".35" stroke-width="2"/><path d="M11 20.5l3.5 3.5 7-8" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

export const CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8;
  --surface: #ffffff;
  --surface-2: #f0f2f5;
  --text: #1a1e24;
  --muted: #5a6472;
  --border: #dfe3e8;
  --border-strong: #c5ccd5;
  --accent: #1f7a6d;
  --accent-strong: #17635a;
  --accent-soft: #e3f2ef;
  --on-accent: #ffffff;
  --warn: #a8470f;
  --warn-soft: #fcefe5;
  --chased: #6247b3;
  --chased-soft: #efebfa;
  --snoozed: #2f5f9e;
  --snoozed-soft: #e8f0fa;
  --good: #1d7447;
  --danger: #b42318;
  --danger-soft: #fdecea;
  --focus: #2563eb;
  --chart-made: #a7b2c1;
  --chart-kept: #1f7a6d;
  --chart-wait: #3f8f84;
  --shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 1px 3px rgba(16, 24, 40, .06);
  --shadow-lg: 0 12px 32px rgba(16, 24, 40, .18);
  --radius: 12px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116;
    --surface: #161a21;
    --surface-2: #1d222b;
    --text: #e6e9ee;
    --muted: #9ba5b3;
    --border: #2a3039;
    --border-strong: #3a424e;
    --accent: #4db6a6;
    --accent-strong: #6cc9ba;
    --accent-soft: #16302c;
    --on-accent: #07211d;
    --warn: #f3a46e;
    --warn-soft: #35220f;
    --chased: #b7a3ff;
    --chased-soft: #272040;
    --snoozed: #8fb8f0;
    --snoozed-soft: #17263a;
    --good: #6fd39b;
    --danger: #ff8a80;
    --danger-soft: #3a1614;
    --focus: #7aa7ff;
    --chart-made: #566273;
    --chart-kept: #4db6a6;
    --chart-wait: #4db6a6;
    --shadow: 0 1px 2px rgba(0, 0, 0, .4);
    --shadow-lg: 0 12px 32px rgba(0, 0, 0, .6);
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.5 var(--font); -webkit-font-smoothing: antialiased; }
h1, h2, h3 { line-height: 1.25; margin: 0; font-weight: 650; letter-spacing: -.01em; }
h1 { font-size: 1.75rem; }
h2 { font-size: 1.25rem; }
h3 { font-size: 1.05rem; }
p { margin: 0 0 .75rem; }
a { color: var(--accent-strong); text-underline-offset: 2px; }
@media (prefers-color-scheme: dark) { a { color: var(--accent); } }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
[tabindex="-1"]:focus:not(:focus-visible) { outline: none; }
[hidden] { display: none !important; }
.wrap { max-width: 1080px; margin: 0 auto; padding: 0 20px; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
.visually-hidden, .visually-hidden-file {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
.skip { position: absolute; left: 12px; top: 12px; transform: translateY(-200%); background: var(--surface); color: var(--text); padding: 10px 14px; border-radius: 8px; z-index: 100; box-shadow: var(--shadow-lg); }
.skip:not(:focus) { box-shadow: none; }
.skip:focus { transform: none; }

/* Header and footer */
.top { background: var(--surface); border-bottom: 1px solid var(--border); }
.top-inner { display: flex; align-items: center; justify-content: space-between; gap: 16px; min-height: 60px; }
.brand { display: inline-flex; align-items: center; gap: 10px; font-weight: 700; font-size: 1.2rem; color: var(--text); text-decoration: none; letter-spacing: -.02em; }
.logo { width: 28px; height: 28px; }
.logo-box { fill: var(--accent); }
.logo-line { stroke: var(--on-accent); stroke-opacity: .35; stroke-width: 2; }
.logo-tick { fill: none; stroke: var(--on-accent); stroke-width: 2.6; stroke-linecap: round; stroke-linejoin: round; }
.who-am-i { margin: 0; color: var(--muted); font-size: .9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
main { display: block; padding: 28px 0 48px; }
main:focus { outline: none; }
.foot { border-top: 1px solid var(--border); color: var(--muted); font-size: .875rem; padding: 20px 0 32px; }
.foot p { margin: 0; }

/* Buttons */
.btn {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px;
  min-height: 40px; padding: 8px 14px; border-radius: 8px; border: 1px solid var(--border-strong);
  background: var(--surface); color: var(--text); font: inherit; font-size: .94rem; font-weight: 550;
  cursor: pointer; text-decoration: none; white-space: nowrap; transition: background .12s, border-color .12s;
}
.btn:hover { background: var(--surface-2); }
.btn.primary { background: var(--accent); border-color: var(--accent); color: var(--on-accent); }
.btn.primary:hover { background: var(--accent-strong); border-color: var(--accent-strong); }
.btn.quiet { border-color: transparent; background: transparent; color: var(--muted); }
.btn.quiet:hover { background: var(--surface-2); color: var(--text); }
.btn.small { min-height: 32px; padding: 4px 10px; font-size: .875rem; }
.btn[disabled], .btn[aria-busy="true"] { opacity: .6; cursor: progress; }
a.btn { color: var(--text); }
a.btn.primary { color: var(--on-accent); }

/* Page title, hero, notices */
.page-title { margin-bottom: 20px; }
.hero { padding: 24px 0 8px; max-width: 720px; }
.hero h1 { font-size: clamp(1.8rem, 4vw, 2.5rem); margin-bottom: 12px; letter-spacing: -.02em; }
.lede { font-size: 1.125rem; color: var(--muted); }
.notice { background: var(--accent-soft); border: 1px solid color-mix(in srgb, var(--accent) 35%, transparent); border-radius: var(--radius); padding: 14px 18px; margin-bottom: 20px; }
.notice p:last-child { margin-bottom: 0; }
.notice-title { font-weight: 650; margin-bottom: 4px; }
.notice.notice-warn { background: var(--warn-soft); border-color: color-mix(in srgb, var(--warn) 45%, transparent); }
.notice details { margin-top: 8px; }
.notice summary { cursor: pointer; }
.notice .notice-warning { color: var(--warn); font-weight: 550; margin: 8px 0; }
.notice .notice-warning + .btn { margin-top: 2px; }
.alert { display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; background: var(--danger-soft); border: 1px solid color-mix(in srgb, var(--danger) 40%, transparent); color: var(--text); border-radius: var(--radius); padding: 12px 16px; margin-bottom: 20px; }
.alert-title { font-weight: 650; color: var(--danger); margin-bottom: 2px; }
.alert-message { margin: 0; }
.crumbs { margin-bottom: 12px; font-size: .94rem; }
.crumbs a::before { content: "← "; }
.message-page { max-width: 640px; padding: 40px 0; }
.message-page h1 { margin-bottom: 12px; }

/* Figures */
.stats { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin: 0 0 32px; }
.stat { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px 18px; box-shadow: var(--shadow); }
.stat dt { color: var(--muted); font-size: .875rem; font-weight: 550; }
.stat dd { margin: 4px 0 0; display: flex; flex-direction: column; }
.stat-value { font-size: 1.9rem; font-weight: 700; letter-spacing: -.02em; line-height: 1.15; font-variant-numeric: tabular-nums; }
.stat-note { color: var(--muted); font-size: .82rem; }
.stat.warn .stat-value { color: var(--warn); }
.stat.good .stat-value { color: var(--good); }

/* Sections */
.section { margin-bottom: 40px; }
.section-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; margin-bottom: 14px; }
.section-head h2 { display: inline-flex; align-items: center; gap: 8px; }
.section-note { color: var(--muted); margin: 0; flex: 1 1 320px; }
.count { display: inline-flex; min-width: 1.6em; height: 1.6em; padding: 0 .45em; align-items: center; justify-content: center; border-radius: 999px; background: var(--surface-2); border: 1px solid var(--border); font-size: .8rem; font-weight: 650; color: var(--muted); }
.quiet-state { background: var(--surface); border: 1px dashed var(--border-strong); border-radius: var(--radius); padding: 18px; color: var(--muted); }
.forgotten .section-head h2 { color: var(--warn); }

/* Promise cards */
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px 18px; box-shadow: var(--shadow); }
.card.is-overdue { border-left: 4px solid var(--warn); padding-left: 15px; }
.card-head { display: grid; grid-template-columns: auto 1fr auto; gap: 12px; align-items: start; }
.avatar { width: 40px; height: 40px; border-radius: 50%; display: inline-flex; align-items: center; justify-content: center; background: var(--accent-soft); color: var(--accent-strong); font-weight: 700; font-size: .9rem; }
@media (prefers-color-scheme: dark) { .avatar { color: var(--accent); } }
.who { font-size: 1.05rem; }
.who a { color: var(--text); text-decoration: none; }
.who a:hover { text-decoration: underline; }
.subject { margin: 2px 0 0; color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
.badges { display: flex; flex-wrap: wrap; gap: 6px; justify-content: flex-end; margin: 0; }
.badge { display: inline-flex; align-items: center; padding: 2px 10px; border-radius: 999px; font-size: .8rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge.overdue { background: var(--warn-soft); color: var(--warn); }
.badge.due { background: var(--accent-soft); color: var(--accent-strong); }
.badge.chased { background: var(--chased-soft); color: var(--chased); }
.badge.snoozed { background: var(--snoozed-soft); color: var(--snoozed); }
.badge.kept { background: var(--accent-soft); color: var(--good); }
.badge.dismissed { background: var(--surface-2); color: var(--muted); border-color: var(--border); }
.promise { margin: 14px 0 10px; padding: 10px 14px; border-left: 3px solid var(--border-strong); background: var(--surface-2); border-radius: 0 8px 8px 0; font-size: 1.02rem; }
.promise p { margin: 0; }
.promise p::before { content: "“"; }
.promise p::after { content: "”"; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0 0 12px; font-size: .9rem; }
.meta div { display: flex; gap: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.menu { position: relative; }
.menu > summary { list-style: none; }
.menu > summary::-webkit-details-marker { display: none; }
.menu > summary::after { content: ""; width: 7px; height: 7px; border-right: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(45deg) translate(-2px, -2px); margin-left: 4px; opacity: .7; }
.menu-list { position: absolute; z-index: 20; top: calc(100% + 6px); left: 0; min-width: 180px; background: var(--surface); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow-lg); padding: 6px; display: grid; }
.menu-item { text-align: left; background: none; border: 0; border-radius: 6px; padding: 9px 12px; font: inherit; color: var(--text); cursor: pointer; }
.menu-item:hover { background: var(--surface-2); }

/* Charts */
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.chart { margin: 0; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px 18px; box-shadow: var(--shadow); min-width: 0; }
.chart figcaption { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 4px 16px; margin-bottom: 8px; }
.chart svg { display: block; width: 100%; height: auto; overflow: visible; }
.chart .grid { stroke: var(--border); stroke-width: 1; }
.chart .axis { stroke: var(--border-strong); stroke-width: 1; }
.chart .tick, .chart .value { fill: var(--muted); font-size: 15px; font-family: var(--font); }
.chart .value { fill: var(--text); font-weight: 600; }
.bar-made { fill: var(--chart-made); }
.bar-kept { fill: var(--chart-kept); }
.bar-wait { fill: var(--chart-wait); }
.legend { list-style: none; display: flex; gap: 14px; margin: 0; padding: 0; font-size: .85rem; color: var(--muted); }
.legend li { display: inline-flex; align-items: center; gap: 6px; }
.legend-note { margin: 0; font-size: .85rem; color: var(--muted); }
.swatch { width: 12px; height: 12px; border-radius: 3px; display: inline-block; }
.swatch.made { background: var(--chart-made); }
.swatch.kept { background: var(--chart-kept); }

/* Panels: calendar, import, history */
.two-col { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 16px; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 18px 20px; box-shadow: var(--shadow); min-width: 0; }
.panel h2, .panel h3 { margin-bottom: 10px; }
.copy-row { display: flex; gap: 8px; margin: 12px 0; }
.copy-row input { flex: 1; min-width: 0; font: .875rem ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 8px 10px; border: 1px solid var(--border-strong); border-radius: 8px; background: var(--surface-2); color: var(--text); }
.hints { padding-left: 18px; margin: 0 0 12px; font-size: .92rem; }
.hints li { margin-bottom: 4px; }
.check-ins, .events { list-style: none; margin: 0; padding: 0; }
.check-ins li { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 10px 0; border-top: 1px solid var(--border); }
.check-ins li:first-child { border-top: 0; padding-top: 0; }
.events li { padding: 8px 0; border-top: 1px solid var(--border); }
.events li:first-child { border-top: 0; }
.events .ev-cancelled, .events .ev-deleted { color: var(--muted); text-decoration: line-through; }
.timeline { list-style: none; margin: 0; padding: 0 0 0 18px; border-left: 2px solid var(--border); }
.timeline li { position: relative; padding: 0 0 14px 6px; }
.timeline li::before { content: ""; position: absolute; left: -25px; top: 6px; width: 10px; height: 10px; border-radius: 50%; background: var(--surface); border: 2px solid var(--accent); }
.t-what { font-weight: 600; }
.import.is-empty .import-grid { margin-top: 8px; }
.import-grid { display: grid; grid-template-columns: 3fr 2fr; gap: 16px; align-items: start; }
.dropzone { border: 2px dashed var(--border-strong); box-shadow: none; }
.dropzone.dragging { border-color: var(--accent); background: var(--accent-soft); }
.file-label { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; cursor: pointer; margin-top: 8px; }
.file-hint { color: var(--muted); font-size: .92rem; }
.dropzone:focus-within .file-label .btn { outline: 3px solid var(--focus); outline-offset: 2px; }
.import-status { margin-top: 16px; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 16px 20px; }
.import-phase { font-weight: 600; margin-bottom: 8px; }
.import-status progress { width: 100%; height: 10px; accent-color: var(--accent); }
.import-status p:last-child { margin: 6px 0 0; }

/* Settings */
.settings { padding: 0; }
.settings > summary { cursor: pointer; padding: 14px 20px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; border-radius: var(--radius); list-style: none; }
.settings > summary::-webkit-details-marker { display: none; }
.settings > summary::before { content: ""; width: 7px; height: 7px; border-right: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(-45deg); align-self: center; margin-right: 4px; opacity: .7; transition: transform .12s; }
.settings[open] > summary::before { transform: rotate(45deg); }
.settings > summary:hover { background: var(--surface-2); }
.settings[open] > summary { border-bottom: 1px solid var(--border); border-radius: var(--radius) var(--radius) 0 0; }
.settings-summary-title { font-weight: 600; }
.settings form { padding: 4px 20px 18px; }
.settings .alert { margin: 14px 0 0; }
.settings .field { align-content: start; }
.settings .field input { height: 42px; }
.settings-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 20px; }
.settings-grid .field.wide { grid-column: 1 / -1; }
.settings .field input:focus-visible, .day input:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.days { border: 0; padding: 0; margin: 14px 0; min-width: 0; }
.days legend { font-weight: 600; font-size: .94rem; padding: 0; margin-bottom: 6px; }
.days .hint { margin-bottom: 2px; }
.day-list { display: flex; flex-wrap: wrap; gap: 8px; }
.day { position: relative; display: inline-flex; align-items: center; gap: 6px; min-height: 40px; padding: 6px 12px; border: 1px solid var(--border-strong); border-radius: 8px; background: var(--surface); cursor: pointer; font-size: .94rem; font-weight: 550; }
.day:hover { background: var(--surface-2); }
.day input { margin: 0; width: 16px; height: 16px; accent-color: var(--accent); }
.day:has(input:checked) { background: var(--accent-soft); border-color: color-mix(in srgb, var(--accent) 55%, transparent); }
.hours { display: flex; flex-wrap: wrap; gap: 0 16px; }
.hours .field { margin: 8px 0 0; width: 9.5rem; }
.form-actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 8px; }

/* The update dialog */
.dialog { width: min(600px, calc(100vw - 24px)); max-height: calc(100vh - 24px); border: 1px solid var(--border); border-radius: 16px; padding: 22px 24px; background: var(--surface); color: var(--text); box-shadow: var(--shadow-lg); }
.dialog::backdrop { background: rgba(10, 14, 20, .5); }
.dialog h2 { margin-bottom: 4px; }
.field { display: grid; gap: 6px; margin: 14px 0; }
.field label { font-weight: 600; font-size: .94rem; }
.field select, .field input, .field textarea {
  font: inherit; color: var(--text); background: var(--surface); border: 1px solid var(--border-strong);
  border-radius: 8px; padding: 8px 10px; min-height: 40px; width: 100%;
}
.field textarea { resize: vertical; line-height: 1.45; font-size: .95rem; }
.hint { margin: 0; color: var(--muted); font-size: .85rem; }
.dialog-actions { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 8px; margin-top: 18px; }
.compose-text { white-space: pre-wrap; font: .95rem/1.5 var(--font); background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px; max-height: 40vh; overflow: auto; margin: 12px 0 0; }
.dialog .alert { margin: 12px 0 0; }

/* Toast (the live region for action results) */
.toast { position: fixed; left: 50%; bottom: 20px; transform: translate(-50%, 20px); opacity: 0; pointer-events: none; transition: opacity .2s, transform .2s; z-index: 50; width: max-content; max-width: calc(100vw - 24px); }
.toast.show { opacity: 1; transform: translate(-50%, 0); pointer-events: auto; }
.toast-inner { display: flex; align-items: center; gap: 14px; background: var(--text); color: var(--bg); border-radius: 10px; padding: 10px 12px 10px 16px; box-shadow: var(--shadow-lg); }
.toast-inner .btn { background: transparent; color: var(--bg); border-color: color-mix(in srgb, var(--bg) 45%, transparent); }

@media (max-width: 860px) {
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .charts, .two-col, .import-grid, .settings-grid { grid-template-columns: 1fr; }
}
@media (max-width: 560px) {
  .wrap { padding: 0 14px; }
  main { padding-top: 20px; }
  h1, .page-title { font-size: 1.45rem; }
  .card { padding: 14px; }
  .card.is-overdue { padding-left: 11px; }
  .card-head { grid-template-columns: auto 1fr; }
  .badges { grid-column: 1 / -1; justify-content: flex-start; }
  .actions { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .actions > * { min-width: 0; }
  .actions .btn, .actions .menu, .actions .menu > summary { width: 100%; min-height: 44px; }
  .actions .primary { grid-column: 1 / -1; }
  .menu-list { left: 0; right: 0; }
  .stat-value { font-size: 1.5rem; }
  .chart { padding: 14px 12px; }
  .chart .tick, .chart .value { font-size: 22px; }
  .dialog { padding: 18px; }
  .dialog-actions .btn, .form-actions .btn { flex: 1 1 auto; min-height: 44px; }
  .settings > summary, .settings form { padding-left: 14px; padding-right: 14px; }
  .day { min-height: 44px; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; scroll-behavior: auto !important; } }
@media print { .actions, .import, .toast, .top { display: none; } }
`;

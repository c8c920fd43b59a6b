#!/usr/bin/env node
// `npm test`: the type check, then every vitest suite (unit, database on a libSQL
// file and on sqld, API, Worker in workerd, browser). Ends with one plain line,
// "N passed, N failed, N skipped"; under CI=true a skipped test is a failure.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules/.bin", name);
const ci = process.env.CI === "true";

console.log("Type check (tsc)…");
const tsc = spawnSync(bin("tsc"), ["-p", "."], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const out = join(root, "test/.artifacts");
mkdirSync(out, { recursive: true });
const report = join(out, "vitest.json");
rmSync(report, { force: true });
const vitest = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "0" },
});

let passed = 0, failed = 0, skipped = 0;
const skippedNames = [];
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests;
  skipped = r.numPendingTests + r.numTodoTests;
  for (const file of r.testResults ?? [])
    for (const t of file.assertionResults ?? []) if (t.status === "pending" || t.status === "skipped" || t.status === "todo") skippedNames.push(t.fullName);
  // A file that failed outside its tests (loading, a beforeAll) counts once more.
  failed = r.numFailedTests + (r.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed")).length;
} catch {
  failed = Math.max(failed, 1);
}
if (ci && skipped > 0) {
  console.log(`\nCI=true and ${skipped} tests were skipped; every part must run in CI:`);
  for (const n of skippedNames) console.log(`  - ${n}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
const ok = vitest.status === 0 && failed === 0 && !(ci && skipped > 0) && passed > 0;
process.exit(ok ? 0 : 1);

// `npm run bench`: every benchmark, each in a fresh process so one's memory and
// JIT state don't colour the next; `npm run bench -- scan` runs one.
// Results with the machine and command are kept in BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const BENCHES = {
  detect: async () => (await import("./detect")).benchDetect(),
  scan: async () => (await import("./scan")).benchScan(),
  ledger: async () => (await import("./ledger")).benchLedger(),
} as const;
type Name = keyof typeof BENCHES;

const [flag, arg] = process.argv.slice(2);
if (flag === "--in-process") {
  console.log(JSON.stringify(await BENCHES[arg as Name](), null, 2));
} else {
  const names = (flag ? [flag] : Object.keys(BENCHES)) as Name[];
  for (const n of names) if (!(n in BENCHES)) throw new Error(`no benchmark "${n}"; there are ${Object.keys(BENCHES).join(", ")}`);
  const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  console.log(JSON.stringify({ machine }, null, 2));
  for (const name of names) {
    console.log(`\n## ${name}`);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--in-process", name], { stdio: "inherit" });
    if (r.status !== 0) process.exitCode = 1;
  }
}

// `npm run bench`: every benchmark, one after another, printed as JSON.
// Results with the machine and command are kept in BENCHMARKS.md.
import { cpus, totalmem } from "node:os";
import { benchDetect } from "./detect";
import { benchLedger } from "./ledger";
import { benchScan } from "./scan";

const only = process.argv[2];
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(JSON.stringify({ machine }, null, 2));
for (const [name, run] of [
  ["detect", benchDetect],
  ["scan", benchScan],
  ["ledger", benchLedger],
] as const) {
  if (only && only !== name) continue;
  console.log(`\n## ${name}`);
  console.log(JSON.stringify(await run(), null, 2));
}

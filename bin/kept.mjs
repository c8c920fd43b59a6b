#!/usr/bin/env node
// The `kept` command. `kept detect --jsonl` runs the promise detector over JSONL
// on stdin; any other subcommand goes to server/cli.ts's main(argv).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [command, ...rest] = process.argv.slice(2);

register();

if (command === "detect") {
  if (!rest.includes("--jsonl")) {
    process.stderr.write("usage: kept detect --jsonl < messages.jsonl\n");
    process.exit(2);
  }
  const { runDetectJsonl } = await import(pathToFileURL(join(root, "core/detect/cli.ts")).href);
  process.stdin.setEncoding("utf8");
  await runDetectJsonl(process.stdin, process.stdout);
} else {
  const serverCli = join(root, "server/cli.ts");
  if (!command || !existsSync(serverCli)) {
    process.stderr.write(`unknown command${command ? `: ${command}` : ""}\nusage: kept detect --jsonl\n`);
    process.exit(2);
  }
  const { main } = await import(pathToFileURL(serverCli).href);
  const code = await main(process.argv.slice(2));
  if (typeof code === "number") process.exitCode = code;
}

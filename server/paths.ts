// Where the project's own files are (migrations, the sample mailbox, the parsing
// worker), found from this module whether it runs from source or from the
// bundle `kept` builds under node_modules/.cache. Node only.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | null = null;

export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && existsSync(join(dir, "db/migrations")) && JSON.parse(readFileSync(pkg, "utf8")).name === "kept") return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("Kept can't find its own files (db/migrations); run it from its project folder.");
    dir = up;
  }
}

export function projectPath(relative: string): string {
  return join(projectRoot(), relative);
}

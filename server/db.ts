// The database handle the rest of the server uses. Entries pick the driver
// (embedded file or HTTP on Node, HTTP on Workers) and hand the result in.
import type { Client } from "@libsql/client";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "../db/schema";

/** drizzle over a libSQL client; `$client` runs the few statements written as SQL (the side panel). */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export { schema };

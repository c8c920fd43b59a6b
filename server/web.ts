// The dashboard's pages, served by the app for every provider: `/` (who's waiting,
// forgotten promises, figures, the calendar feed, import), `/c/:id` (one promise,
// where calendar events link), the script and stylesheet, and the import routes.
import type { Context, Hono } from "hono";
import { KeptError } from "../core/errors";
import type { WorkSettings } from "../core/model";
import { check, requireAccount, type KeptEnv } from "./app";
import type { Authenticator } from "./auth";
import { Ledger, type LedgerDeps } from "./ledger";
import { CSS, ICON, JS } from "./web/assets";
import { commitmentPage, dashboard } from "./web/data";
import { importRoute, zImportHeaders, zImportQuery } from "./web/import";
import { commitmentPageHtml, dashboardPage, messagePage } from "./web/pages";

export interface WebDeps extends LedgerDeps {
  auth: Authenticator;
  localDefaults?: Partial<WorkSettings>;
  version?: string;
}

const PAGE_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

function asset(body: string, type: string) {
  return (c: Context) =>
    c.body(body, 200, { "content-type": `${type}; charset=utf-8`, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" });
}

export function mountWeb(app: Hono<any>, deps: WebDeps) {
  const web = app as Hono<KeptEnv>;
  const ledger = new Ledger(deps);
  const identify = requireAccount(deps);

  /** The signed-in account for a page, or a page that says how to get in. */
  async function signedIn(c: Context<KeptEnv>): Promise<Response | null> {
    try {
      await identify(c, async () => {});
      return null;
    } catch (e) {
      if (!(e instanceof KeptError) || (e.code !== "unauthorized" && e.code !== "forbidden")) throw e;
      const title = e.code === "forbidden" ? "Kept can't show this page here" : "Open Kept from your mail";
      const message =
        e.code === "forbidden"
          ? e.message
          : "This Kept server signs you in through the Outlook or Gmail add-in. Open Kept from the add-in to see your promises; links in your calendar events work once you're signed in there.";
      return c.html(messagePage(title, message, { back: false }), e.code === "forbidden" ? 403 : 401, PAGE_HEADERS);
    }
  }

  web.get("/assets/kept.css", asset(CSS, "text/css"));
  web.get("/assets/kept.js", asset(JS, "text/javascript"));
  web.get("/assets/icon.svg", asset(ICON, "image/svg+xml"));

  web.get("/", async (c) => {
    const denied = await signedIn(c);
    if (denied) return denied;
    return c.html(dashboardPage(await dashboard(deps, c.get("account"))), 200, PAGE_HEADERS);
  });

  web.get("/c/:id", async (c) => {
    const denied = await signedIn(c);
    if (denied) return denied;
    const account = c.get("account");
    const id = c.req.param("id");
    const page = id.length <= 100 ? await commitmentPage(deps, account, id) : null;
    if (!page)
      return c.html(
        messagePage("No such promise", "It may have been removed, or the link belongs to another account. Your current promises are on the dashboard.", { email: account.email }),
        404,
        PAGE_HEADERS,
      );
    return c.html(commitmentPageHtml(page), 200, PAGE_HEADERS);
  });

  const importing = { db: deps.db, ledger, clock: deps.clock };
  web.post(
    "/api/import",
    identify,
    check("query", zImportQuery),
    check("header", zImportHeaders),
    (c) => {
      const q = c.req.valid("query");
      return importRoute(c, importing, { from: "upload", name: q.name ?? c.req.valid("header")["x-file-name"], files: q.files });
    },
  );
  web.post("/api/import/sample", identify, (c) => importRoute(c, importing, { from: "sample" }));
}

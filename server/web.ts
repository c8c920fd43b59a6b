// The dashboard's pages, served by the app for every provider.
import type { Hono } from "hono";

export function mountWeb(_app: Hono<any>, _deps: unknown) {}

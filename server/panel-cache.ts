// Side panels already answered, kept in memory for as long as the database is
// unchanged. An add-in asks for the same panel again and again (the user goes
// back to a message, the pane reloads after an action elsewhere), and the
// statement behind it costs far more than the HTTP around it.
//
// "Unchanged" is checked, not guessed: `version()` pairs a count of the
// statements the server's one connection has run that may write (anything but
// a SELECT) with SQLite's data_version, which moves when any other connection,
// such as `kept scan` in another process, commits. Either moving empties the
// cache, so a panel is never older than the last write. Only the embedded
// database offers this cheaply (one call into the engine); on a libSQL server
// or from Workers the check is itself a round trip, so there panels are always
// read.
import type { Db } from "./db";
import { panelFor, type Panel } from "./store";

type PanelReader = typeof panelFor;

export interface PanelCacheStats {
  hits: number;
  misses: number;
  size: number;
}

export class PanelCache {
  private entries = new Map<string, Panel>();
  private seen: string | null = null;
  private hits = 0;
  private misses = 0;

  /**
   * @param version the database's state: equal strings mean no row has changed in between.
   * @param capacity panels kept at most (about 3 KB each); the least recently used go first.
   */
  constructor(
    private readonly version: () => string,
    private readonly capacity = 2000,
    private readonly read: PanelReader = panelFor,
  ) {}

  get stats(): PanelCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }

  /** panelFor, from memory when nothing has changed since it was last read. */
  readonly panelFor: PanelReader = async (db: Db, identity, counterpart, threadId, today) => {
    // The version is read before the panel, so a panel is never stored under a
    // version older than the data it came from: a write in between only means a
    // miss next time, never a stale answer.
    const version = this.version();
    if (version !== this.seen) {
      this.entries.clear();
      this.seen = version;
    }
    const key = `${identity.provider}\n${identity.tenantId}\n${identity.subject}\n${counterpart}\n${threadId ?? ""}\n${today}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, hit);
      return hit;
    }
    this.misses++;
    const panel = await this.read(db, identity, counterpart, threadId, today);
    // An identity with no account yet is about to get one (a write): nothing to keep.
    if (panel.account && this.seen === version) {
      this.entries.set(key, panel);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return panel;
  };
}

// Accounts: found or made from a verified identity, and their settings.
import { and, eq } from "drizzle-orm";
import { KeptError } from "../core/errors";
import { DEFAULT_SETTINGS, normaliseAddress, type ProviderName, type WorkSettings } from "../core/model";
import { validateSettings } from "../core/policy";
import { schema, type Db, type Tx } from "./db";
import { findAccount, getAccount, settingsOf, type AccountRow } from "./store";

export interface Identity {
  provider: ProviderName;
  tenantId: string;
  subject: string;
  email: string | null;
  displayName: string | null;
}

/** The account for a verified identity, made on first sight. */
export async function accountFor(db: Db, identity: Identity, newId: () => string, defaults: Partial<WorkSettings> = {}): Promise<AccountRow> {
  const a = schema.accounts;
  const found = await findAccount(db, identity);
  if (found) return found;
  const s = validateSettings({ ...DEFAULT_SETTINGS, ...defaults });
  await db
    .insert(a)
    .values({
      id: newId(),
      provider: identity.provider,
      tenantId: identity.tenantId,
      subject: identity.subject,
      email: identity.email ? normaliseAddress(identity.email) : null,
      displayName: identity.displayName,
      timeZone: s.timeZone,
      locale: s.locale,
      workDays: s.workDays,
      dayStart: s.dayStart,
      dayEnd: s.dayEnd,
      settings: extraSettings(s),
      addresses: [],
    })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(a)
    .where(and(eq(a.provider, identity.provider), eq(a.tenantId, identity.tenantId), eq(a.subject, identity.subject)))
    .limit(1);
  return row!;
}

function extraSettings(s: WorkSettings): Record<string, unknown> {
  return {
    defaultDelayWorkingDays: s.defaultDelayWorkingDays,
    escalationWorkingDays: s.escalationWorkingDays,
    eventMinutes: s.eventMinutes,
    checkInDays: s.checkInDays,
  };
}

export interface SettingsPatch extends Partial<WorkSettings> {
  addresses?: string[];
}

export async function updateSettings(db: Db | Tx, accountId: string, patch: SettingsPatch): Promise<AccountRow> {
  const current = await getAccount(db, accountId);
  if (!current) throw new KeptError("unauthorized", "Your account no longer exists; sign in again.");
  const s = validateSettings({ ...settingsOf(current), ...patch });
  await db
    .update(schema.accounts)
    .set({
      timeZone: s.timeZone,
      locale: s.locale,
      workDays: s.workDays,
      dayStart: s.dayStart,
      dayEnd: s.dayEnd,
      displayName: s.displayName,
      settings: extraSettings(s),
      ...(patch.addresses ? { addresses: [...new Set(patch.addresses.map(normaliseAddress))] } : {}),
    })
    .where(eq(schema.accounts.id, accountId));
  return (await getAccount(db, accountId))!;
}

import "server-only";
import { createHash } from "node:crypto";
import { inArray } from "drizzle-orm";
import { readRetentionDeadline } from "@/features/billing/server/retention";
import { requireAccountId, type Ctx } from "@/server/context";
import { assets, type AssetKind, type AssetRow } from "@/server/db/schema";

/** One file to keep as an asset of `ctx.accountId`. */
export type NewAsset = {
  kind: AssetKind;
  /** Fresh for uploads; deterministic for outputs and derived images, so a repeat finds the row. */
  storageKey: string;
  data: Buffer;
  mime: string;
  /** Unknown (a vendor's video without its frame size) is null, not zero. */
  width: number | null;
  height: number | null;
  /** When the caller has hashed the bytes already (uploads do while normalizing). */
  sha256?: string;
  id?: string;
  name?: string | null;
  /** An output's job and its place among the job's outputs. */
  job?: { id: string; outputIndex: number };
  /** Whose it is; by default the acting user (a system actor has none). */
  userId?: string | null;
};

/** A file already in storage whose row is still to be inserted (see insertAssetRows). */
export type StoredAsset = typeof assets.$inferInsert;

/**
 * The one way an asset comes to exist: bytes into storage, then the row, with the account's
 * retention deadline fixed now. A row already there under the same key (a repeated render) is
 * returned as it is. A failed insert removes an upload's file again; output and derived keys are
 * deterministic and may belong to a concurrent repeat's row, so those stay.
 */
export async function createAsset({ ctx, input }: { ctx: Ctx; input: NewAsset }): Promise<AssetRow> {
  const [stored] = await storeAssetFiles({ ctx, input: { files: [input] } });
  try {
    const [row] = await insertAssetRows({ ctx, input: { assets: [stored!] } });
    if (!row) throw new Error(`asset ${input.storageKey} was neither inserted nor found`);
    return row;
  } catch (error) {
    if (input.kind === "upload") await ctx.services.storage.delete(input.storageKey).catch(() => undefined);
    throw error;
  }
}

/**
 * The first half of createAsset, for callers whose rows must join a transaction of their own (a
 * job's outputs appear with its success, atomically): the bytes go to storage first, outside it,
 * so a database transaction never waits on storage.
 */
export async function storeAssetFiles({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { files: NewAsset[] };
}): Promise<StoredAsset[]> {
  const accountId = requireAccountId(ctx);
  const retentionUntil = await readRetentionDeadline({ ctx, input: { accountId } });
  const actingUserId = ctx.actor.type === "user" ? ctx.actor.userId : null;
  const stored: StoredAsset[] = [];
  for (const file of input.files) {
    await ctx.services.storage.put(file.storageKey, file.data, file.mime);
    stored.push({
      id: file.id,
      accountId,
      userId: file.userId === undefined ? actingUserId : file.userId,
      kind: file.kind,
      storageKey: file.storageKey,
      mime: file.mime,
      bytes: file.data.length,
      width: file.width,
      height: file.height,
      sha256: file.sha256 ?? createHash("sha256").update(file.data).digest("hex"),
      name: file.name ?? null,
      jobId: file.job?.id,
      outputIndex: file.job?.outputIndex,
      retentionUntil,
    });
  }
  return stored;
}

/**
 * The second half: the rows of stored files, in `ctx.db` (which may be the caller's transaction).
 * A row already there (same key, or same job output) is kept, so a repeated job or render is a
 * no-op; returns the rows under those keys, in the order given.
 */
export async function insertAssetRows({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { assets: StoredAsset[] };
}): Promise<AssetRow[]> {
  if (input.assets.length === 0) return [];
  await ctx.db.insert(assets).values(input.assets).onConflictDoNothing();
  const keys = input.assets.map((asset) => asset.storageKey);
  const rows = await ctx.db.select().from(assets).where(inArray(assets.storageKey, keys));
  const byKey = new Map(rows.map((row) => [row.storageKey, row]));
  return keys.flatMap((key) => byKey.get(key) ?? []);
}

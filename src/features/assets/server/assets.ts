import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { requireAccountId, type Ctx } from "@/server/context";
import { assets, type AssetKind, type AssetRow } from "@/server/db/schema";
import { notFound } from "@/server/errors";
import { afterCursor, toPage } from "@/server/pagination";
import { createAsset } from "./create-asset";
import { normalizeUpload, type UploadSource } from "./normalize-upload";

export type { AssetRow };

/**
 * Stores an upload: validated and re-encoded first (nothing is written for a bad file), then kept
 * through createAsset (bytes, then the row; the file is removed again if the row cannot be written).
 */
export async function uploadAsset({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { source: UploadSource; name?: string; limits: { maxBytes: number; maxPixels: number } };
}): Promise<AssetRow> {
  const accountId = requireAccountId(ctx);
  // Decoding is the CPU-heavy part: it waits its account's fair turn in the shared queue.
  const image = await ctx.services.cpu.run(accountId, () => normalizeUpload(input.source, input.limits));
  const id = randomUUID();
  return createAsset({
    ctx,
    input: {
      id,
      kind: "upload",
      storageKey: `uploads/${id}.${image.ext}`,
      data: image.data,
      mime: image.mime,
      width: image.width,
      height: image.height,
      sha256: image.sha256,
      name: sanitizeName(input.name),
    },
  });
}

export async function getAsset({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<AssetRow> {
  const [row] = await ctx.db
    .select()
    .from(assets)
    .where(and(eq(assets.id, input.id), eq(assets.accountId, requireAccountId(ctx))));
  if (!row) throw notFound();
  return row;
}

/** For signed links, which carry no session: the signature already proved the right to read. */
export async function getAssetForSignedLink({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<AssetRow> {
  const [row] = await ctx.db.select().from(assets).where(eq(assets.id, input.id));
  if (!row) throw notFound();
  return row;
}

export async function listAssets({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { kind?: AssetKind; limit: number; cursor?: string };
}) {
  const rows = await ctx.db
    .select()
    .from(assets)
    .where(
      and(
        eq(assets.accountId, requireAccountId(ctx)),
        input.kind ? eq(assets.kind, input.kind) : undefined,
        afterCursor(assets, input.cursor),
      ),
    )
    .orderBy(desc(assets.createdAt), desc(assets.id))
    .limit(input.limit + 1);
  const { page, nextCursor } = toPage(rows, input.limit);
  return { assets: page, nextCursor };
}

function sanitizeName(name: string | undefined): string | null {
  if (!name) return null;
  // Keep a readable base name for display and downloads; never a path.
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.replace(/[^\p{L}\p{N}._ -]/gu, "_").slice(0, 120) || null;
}

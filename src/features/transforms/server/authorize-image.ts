import "server-only";
import { eq } from "drizzle-orm";
import { getAsset } from "@/features/assets/server/assets";
import type { Ctx } from "@/server/context";
import { assets, type AssetRow } from "@/server/db/schema";
import { AppError, notFound } from "@/server/errors";
import { verifyImageSignature } from "./image-url";

export type ImageAccess = {
  asset: AssetRow;
  mode: "signed" | "session";
  /** Acts for the asset's owner account: AI steps are charged there. */
  ctx: Ctx;
  /** Signed access only: when the link stops working (seconds since the epoch). */
  expiresAt?: number;
};

/**
 * Who may read /i/<asset>: anyone holding a valid signature for exactly this asset and
 * transformation, or the owner's session. A signature that is present decides alone (bad or
 * expired: 403, checked before touching the database). Other accounts' assets are 404 like
 * unknown ones; no session and no signature is 401.
 */
export async function authorizeImage({
  ctx,
  input,
}: {
  /** The request's ctx (locale, request id, db); resolveSession adds the signed-in user, lazily. */
  ctx: Pick<Ctx, "db" | "locale" | "requestId" | "services">;
  input: {
    assetId: string;
    canonical: string;
    query: { expires?: string; signature?: string };
    resolveSession: () => Promise<Ctx | undefined>;
  };
}): Promise<ImageAccess> {
  const { query } = input;
  if (query.signature !== undefined || query.expires !== undefined) {
    if (!verifyImageSignature(ctx.services.env.APP_SECRET, input.assetId, input.canonical, query))
      throw new AppError("forbidden");
    const [asset] = await ctx.db.select().from(assets).where(eq(assets.id, input.assetId));
    if (!asset) throw notFound();
    const ownerCtx: Ctx = {
      actor: { type: "system", reason: "signed-image-url" },
      accountId: asset.accountId,
      db: ctx.db,
      locale: ctx.locale,
      requestId: ctx.requestId,
      services: ctx.services,
    };
    return { asset, mode: "signed", ctx: ownerCtx, expiresAt: Number(query.expires) };
  }
  const session = await input.resolveSession();
  if (!session) throw new AppError("unauthorized");
  const asset = await getAsset({ ctx: session, input: { id: input.assetId } });
  return { asset, mode: "session", ctx: session };
}

/** The ids /i/ accepts; anything else is a 404 before any query (Postgres rejects non-UUIDs). */
export function isAssetId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

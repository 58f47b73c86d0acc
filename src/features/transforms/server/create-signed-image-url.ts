import "server-only";
import { getAsset } from "@/features/assets/server/assets";
import type { Ctx } from "@/server/context";
import { expiryFor, signImageUrl } from "./image-url";
import { parseTransformation } from "./parse-transformation";

/** A week: long enough to embed in a page or an e-mail, short enough to expire on its own. */
export const defaultSignedImageTtl = 7 * 24 * 3600;

/**
 * A signed /i/ URL for the owner's asset (404 for anyone else's). The transformation is parsed
 * first, so a bad parameter is a 400 now rather than a broken image later; the URL carries its
 * canonical form, which is also what the signature covers.
 */
export async function createSignedImageUrl({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; tr?: string; expiresIn?: number };
}): Promise<{ url: string; expiresAt: string }> {
  const transformation = parseTransformation(input.tr ?? "");
  const asset = await getAsset({ ctx, input: { id: input.id } });
  const expiresAt = expiryFor(input.expiresIn ?? defaultSignedImageTtl);
  const { APP_SECRET: secret, APP_URL: appUrl } = ctx.services.env;
  const path = signImageUrl({ secret, assetId: asset.id, canonical: transformation.canonical, expiresAt });
  return { url: `${appUrl}${path}`, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

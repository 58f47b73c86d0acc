import "server-only";
import type { Env } from "@/server/env";
import type { AssetRow } from "./assets";
import { signAssetUrl } from "./signed-url";

/** The API shape of an asset, with a short-lived signed URL to its bytes. */
export function toAssetView(row: AssetRow, env: Pick<Env, "APP_SECRET" | "SIGNED_URL_TTL_SECONDS">) {
  return {
    id: row.id,
    kind: row.kind,
    mime: row.mime,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    name: row.name,
    jobId: row.jobId,
    createdAt: row.createdAt.toISOString(),
    url: signAssetUrl(env.APP_SECRET, row.id, env.SIGNED_URL_TTL_SECONDS),
  };
}

import { zipSync } from "fflate";
import { api } from "../api/client";
import type { Asset } from "../api/types";
import { extensionOfMime } from "../studio/tools";

export type ZipEntry = { originalName: string | null; assetId: string; mime: string };

/** "holiday photo.JPG" + image/webp -> "holiday photo.webp"; repeated names get -2, -3 ... */
export function zipNames(entries: ZipEntry[], fallback: string): string[] {
  const used = new Set<string>();
  return entries.map(({ originalName, mime }, index) => {
    const base =
      (originalName ?? "")
        .replace(/\.[^.]*$/, "")
        .replace(/\p{Cc}+/gu, "")
        .replace(/[\\/:*?"<>|]+/g, "_")
        .trim() || `${fallback}-${index + 1}`;
    const extension = extensionOfMime(mime);
    let name = `${base}.${extension}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}.${extension}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/**
 * Fetches each output (with a fresh signed URL: the run may have outlasted the first) and packs
 * them into one zip, in the browser. Stored, not deflated: the images are compressed already.
 */
export async function zipOutputs(entries: ZipEntry[], fallback: string): Promise<Blob> {
  const names = zipNames(entries, fallback);
  const files: Record<string, Uint8Array> = {};
  await Promise.all(
    entries.map(async (entry, index) => {
      const { asset } = await api<{ asset: Asset }>(`/api/v1/assets/${encodeURIComponent(entry.assetId)}`, {
        cache: "no-store",
      });
      const response = await fetch(asset.url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`download of ${entry.assetId} failed with ${response.status}`);
      files[names[index] ?? `${fallback}-${index + 1}`] = new Uint8Array(await response.arrayBuffer());
    }),
  );
  const zipped = zipSync(files, { level: 0 });
  return new Blob([zipped as Uint8Array<ArrayBuffer>], { type: "application/zip" });
}

import "server-only";
import { sharp } from "@/engine/sharp";

/**
 * An input image larger than the plan's "px a side" is scaled down to fit before any tool sees
 * it (the same rule as fitToPlan at submit): a Free account's phone photo still works, and its
 * result stays within the plan. Smaller images and non-images pass through untouched.
 */
export async function fitInputToSide(bytes: Buffer, maxSide: number): Promise<Buffer> {
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => undefined);
  if (!meta?.width || !meta.height || Math.max(meta.width, meta.height) <= maxSide) return bytes;
  const fitted = sharp(bytes).resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true });
  // Keep the format; JPEG at a high quality, since the tools work on this copy.
  return meta.format === "jpeg" ? fitted.jpeg({ quality: 95 }).toBuffer() : fitted.toBuffer();
}

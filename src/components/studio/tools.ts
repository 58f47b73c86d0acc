import type { Asset, Generator, Job, JobOutput } from "../api/types";
import { isAssetField } from "../dashboard/schema-fields";
import { maskFileName } from "./mask";

/** The panels list categories in this order; anything unknown comes last, under its own name. */
export const categoryOrder = ["magic-studio", "basics", "generators"] as const;
export type KnownCategory = (typeof categoryOrder)[number];
export const isKnownCategory = (category: string): category is KnownCategory =>
  (categoryOrder as readonly string[]).includes(category);

/** Tools that work on one image: their input `image` is a single asset id (not a calendar's twelve). */
export function takesOneImage(generator: Generator): boolean {
  const image = generator.inputSchema.properties?.image;
  return image !== undefined && isAssetField("image", image) && image.type !== "array";
}

/** Tools that also take a painted mask (magic erase): the studio gives them the brush editor. */
export function takesMask(generator: Generator): boolean {
  const mask = generator.inputSchema.properties?.mask;
  return mask !== undefined && isAssetField("mask", mask);
}

/** Masks painted in the studio are uploads too; they are not images to edit. */
export const isMaskUpload = (asset: Pick<Asset, "name">) => asset.name === maskFileName;

export type ToolGroup = { category: string; tools: Generator[] };

/** Generators of the given categories (all when omitted), grouped in the panel's order. */
export function groupTools(generators: Generator[], categories?: readonly string[]): ToolGroup[] {
  const groups = new Map<string, Generator[]>();
  for (const generator of generators) {
    if (!takesOneImage(generator)) continue;
    if (categories && !categories.includes(generator.category)) continue;
    groups.set(generator.category, [...(groups.get(generator.category) ?? []), generator]);
  }
  const rank = (category: string) => {
    const index = (categoryOrder as readonly string[]).indexOf(category);
    return index === -1 ? categoryOrder.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, tools]) => ({ category, tools }));
}

/** An image the studio shows: an upload or a step's output (the same shape as a job output). */
export type Picture = JobOutput;

export const pictureOfAsset = (asset: Asset): Picture => ({
  assetId: asset.id,
  url: asset.url,
  mime: asset.mime,
  width: asset.width,
  height: asset.height,
  bytes: asset.bytes,
});

export const pictureOfOutput = (output: JobOutput): Picture => ({ ...output });

/**
 * The image frame's shape: the picture's aspect ratio, and no wider than that ratio allows at the
 * frame's maximum height (62vh), so a tall image is not framed by empty bands.
 */
export function frameStyle(picture: Picture): { aspectRatio?: string; maxWidth?: string } {
  if (!picture.width || !picture.height) return {};
  return {
    aspectRatio: `${picture.width} / ${picture.height}`,
    maxWidth: `calc(62vh * ${picture.width} / ${picture.height})`,
  };
}

/** The first output of a succeeded job: the image the next step works on. */
export function outputOf(job: Job): Picture | null {
  const output = job.status === "succeeded" ? job.outputs[0] : undefined;
  return output ? pictureOfOutput(output) : null;
}

/** File formats offered for download, as the generators name them. */
export const downloadFormats = ["png", "webp", "jpeg"] as const;
export type DownloadFormat = (typeof downloadFormats)[number];

export function formatOfMime(mime: string): string {
  const subtype = mime.split("/")[1]?.split(";")[0] ?? "";
  return subtype === "jpg" ? "jpeg" : subtype;
}

export function extensionOfMime(mime: string): string {
  const format = formatOfMime(mime);
  return format === "jpeg" ? "jpg" : format || "bin";
}

/**
 * The generator that converts an image to `format`: `convert` when the server has it, else
 * `resize` (which converts when given only a format). The answer names the input to set.
 */
export function findConverter(generators: Generator[], format: string): { generator: Generator; field: string } | null {
  for (const id of ["convert", "resize"]) {
    const generator = generators.find((g) => g.id === id);
    const schema = generator?.inputSchema;
    if (!generator || !schema || !takesOneImage(generator)) continue;
    const required = (schema.required ?? []).filter((name) => name !== "image");
    const field = Object.entries(schema.properties ?? {}).find(([, s]) => s.enum?.includes(format))?.[0];
    // Usable only if the format is all it needs.
    if (field && required.every((name) => name === field)) return { generator, field };
  }
  return null;
}

/** Starts a download of a same-origin URL (the server answers with Content-Disposition). */
export function triggerDownload(href: string, fileName?: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = fileName ?? "";
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
}

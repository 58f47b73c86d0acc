import type { ToolOutput } from "../types";
import { renderBackground } from "./backgrounds";
import { cutOutSubject, subjectBox, type Cutout, type ToolHooks } from "./cutout";
import { renderShadow } from "./drop-shadow";
import { encodeImage } from "../../image-ops/encode";
import { fromRaw } from "./encode";
import { alphaOf, fitInto, flattenLayers, subjectLayer } from "./layout";
import type { BackgroundQuality } from "./model";

export const productBackgrounds = ["white", "studio"] as const;
export type ProductBackground = (typeof productBackgrounds)[number];

/** Marketplaces ask for a square, a white background and the product filling most of it. */
export const productPhotoPresets = {
  marketplace: { size: 2000, background: "white" },
  "square-1080": { size: 1080, background: "white" },
  studio: { size: 2000, background: "studio" },
} as const satisfies Record<string, { size: number; background: ProductBackground }>;
export type ProductPhotoPreset = keyof typeof productPhotoPresets;
export const productPhotoPresetNames = Object.keys(productPhotoPresets) as [
  ProductPhotoPreset,
  ...ProductPhotoPreset[],
];

export const productPhotoFormats = ["jpeg", "png"] as const;

/** The subject's longer side takes this share of the canvas side. */
export const productFill = 0.85;

export type ProductPhotoOptions = {
  preset?: ProductPhotoPreset;
  /** Overrides the preset's background. */
  background?: ProductBackground;
  quality?: BackgroundQuality;
  format?: (typeof productPhotoFormats)[number];
} & ToolHooks;

/** Pure: a product shot -> the product centred on a square white or studio canvas with a soft shadow. */
export async function makeProductPhoto(input: Buffer, options: ProductPhotoOptions = {}): Promise<ToolOutput> {
  const cutout = await cutOutSubject(input, options);
  return composeProductPhoto(cutout, options);
}

/** The compositing half of makeProductPhoto. */
export async function composeProductPhoto(
  cutout: Cutout,
  options: Omit<ProductPhotoOptions, keyof ToolHooks> = {},
): Promise<ToolOutput> {
  const preset = productPhotoPresets[options.preset ?? "marketplace"];
  const backgroundKind = options.background ?? preset.background;
  const canvas = { width: preset.size, height: preset.size };
  const background = await renderBackground(
    backgroundKind === "white" ? { kind: "color", color: "#ffffff" } : { kind: "studio" },
    canvas,
  );
  const found = await subjectBox(cutout.mask);
  // Nothing recognised as a subject: the whole picture is the product.
  const box = found ?? { left: 0, top: 0, width: cutout.rgb.width, height: cutout.rgb.height };
  const placement = fitInto(box, canvas, ((1 - productFill) / 2) * 100, "center");
  const subject = await subjectLayer(cutout, box, placement);
  // A soft shadow just below the product, as under a soft box light.
  const drop = Math.round(preset.size * 0.012);
  const shadow = await renderShadow(
    await alphaOf(subject),
    { left: placement.left, top: placement.top + drop },
    canvas,
    {
      sigma: preset.size * 0.012,
      opacity: 0.3,
    },
  );
  const flat = await flattenLayers(background, [
    { image: shadow, left: 0, top: 0 },
    { image: subject, left: placement.left, top: placement.top },
  ]);
  return encodeImage(fromRaw(flat), options.format ?? "jpeg", {
    quality: 90,
    meta: {
      quality: options.quality ?? "standard",
      preset: options.preset ?? "marketplace",
      background: backgroundKind,
      subjectFound: found !== undefined,
    },
  });
}

import type { ToolOutput } from "../types";
import { renderBackground, type BackgroundFill } from "./backgrounds";
import { cutOutSubject, subjectBox, type Cutout, type ToolHooks } from "./cutout";
import { encodeImage } from "../../image-ops/encode";
import { fromRaw, type OpaqueFormat, type RawImage } from "./encode";
import { fitInto, flattenLayers, subjectLayer, type SubjectPosition } from "./layout";
import type { BackgroundQuality } from "./model";

export type ChangeBackgroundOptions = {
  quality?: BackgroundQuality;
  background: BackgroundFill;
  /**
   * With neither padding nor position the subject stays where it was. With either, it is cropped
   * and fitted inside the canvas inset by `padding` % per side, aligned at `position`.
   */
  padding?: number;
  position?: SubjectPosition;
  format?: OpaqueFormat;
} & ToolHooks;

/** Pure: image bytes -> the subject on a new background, same size as the upright input. */
export async function changeBackground(input: Buffer, options: ChangeBackgroundOptions): Promise<ToolOutput> {
  const cutout = await cutOutSubject(input, options);
  return placeOnBackground(cutout, options);
}

/** The compositing half of changeBackground, for callers (and tests) that already hold a cut-out. */
export async function placeOnBackground(
  cutout: Cutout,
  options: Omit<ChangeBackgroundOptions, keyof ToolHooks>,
): Promise<ToolOutput> {
  const canvas = { width: cutout.rgb.width, height: cutout.rgb.height };
  const background = await renderBackground(options.background, canvas, cutout.rgb);
  const box = await subjectBox(cutout.mask);
  const relayout = options.padding !== undefined || options.position !== undefined;
  let layer: { image: RawImage; left: number; top: number };
  if (relayout && box) {
    const placement = fitInto(box, canvas, options.padding ?? 0, options.position ?? "center");
    layer = { image: await subjectLayer(cutout, box, placement), left: placement.left, top: placement.top };
  } else {
    const full = { left: 0, top: 0, ...canvas };
    layer = { image: await subjectLayer(cutout, full, canvas), left: 0, top: 0 };
  }
  const flat = await flattenLayers(background, [layer]);
  return encodeImage(fromRaw(flat), options.format ?? "jpeg", {
    quality: 90,
    meta: {
      quality: options.quality ?? "standard",
      background: options.background.kind,
      subjectFound: box !== undefined,
    },
  });
}

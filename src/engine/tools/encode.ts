// The encoder moved into the image-operation library; kept here for the tools that import it.
export { defaultQuality, encodeImage, formatWithAlpha, keptFormat, outputFormats, type OutputFormat } from "../image-ops/encode";

// Colours moved into the image-operation library; kept here for the code that imports them.
export { colourPattern, isOpaque, parseColour } from "../../image-ops/colour";
export type { Rgba } from "../../image-ops/types";

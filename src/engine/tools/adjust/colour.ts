// Colours live in the image-operation library; kept here for the catalog, which imports it.
export { colourPattern } from "../../image-ops/colour";

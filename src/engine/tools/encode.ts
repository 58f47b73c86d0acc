// The encoder lives in the image-operation library; kept here for the code that imports it.
export { encodeImage, keptFormat } from "../image-ops/encode";

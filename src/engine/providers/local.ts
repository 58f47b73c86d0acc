import { resizeImage, type ResizeOptions } from "../tools/resize";
import type { Provider } from "./types";

function requireImage(input: Buffer | undefined): Buffer {
  if (!input) throw new Error("this tool needs an input image");
  return input;
}

/** Everything that honestly runs on a CPU, offline, with no API key. */
export const localProvider: Provider = {
  id: "local",
  capabilities: {
    resize: (input, options) => resizeImage(requireImage(input), options as ResizeOptions),
  },
};

import { resizeImage, type ResizeOptions } from "../tools/resize";
import type { Provider } from "./types";

/** Everything that honestly runs on a CPU, offline, with no API key. */
export const localProvider: Provider = {
  id: "local",
  capabilities: {
    resize: (input, options) => resizeImage(input, options as ResizeOptions),
  },
};

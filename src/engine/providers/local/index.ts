import { resizeImage, type ResizeOptions } from "../../tools/resize";
import type { Provider, ProviderAdapter } from "../types";
import { backgroundCapabilities } from "./background";
import { cropCapabilities } from "./crop";
import { documentsCapabilities } from "./documents";
import { enhanceCapabilities } from "./enhance";

export function requireImage(input: Buffer | undefined): Buffer {
  if (!input) throw new Error("this tool needs an input image");
  return input;
}

/** Everything that honestly runs on a CPU, offline, with no API key. */
export const localProvider: Provider = {
  id: "local",
  capabilities: {
    resize: (input, options) => resizeImage(requireImage(input), options as ResizeOptions),
    ...backgroundCapabilities,
    ...cropCapabilities,
    ...enhanceCapabilities,
    ...documentsCapabilities,
  },
};

export const localAdapter: ProviderAdapter = {
  id: localProvider.id,
  name: "Local (CPU)",
  settings: [],
  models: [],
  capabilities: Object.keys(localProvider.capabilities),
  create: () => localProvider,
  testConnection: async () => undefined,
};

import type { ProviderAdapter } from "../types";
import { backgroundTools } from "./background";
import { cropTools } from "./crop";
import { providerOfTools } from "./define-local-tool";
import { documentsTools } from "./documents";
import { imageOpTools } from "./image-tools";

/** Everything that honestly runs on a CPU, offline, with no API key. */
export const localTools = [...imageOpTools, ...backgroundTools, ...cropTools, ...documentsTools];

export const localProvider = providerOfTools("local", localTools);

export const localAdapter: ProviderAdapter = {
  id: localProvider.id,
  name: "Local (CPU)",
  settings: [],
  models: [],
  capabilities: localTools.map((tool) => tool.capability),
  create: () => localProvider,
  testConnection: async () => undefined,
};

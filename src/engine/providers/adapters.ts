import { comfyUiAdapter } from "./comfyui";
import { falAdapter } from "./fal";
import { googleAdapter } from "./google";
import { localAdapter } from "./local/index";
import { openaiAdapter } from "./openai";
import { replicateAdapter } from "./replicate";
import type { ProviderAdapter } from "./types";
import { webhookAdapter } from "./webhook";

/** The built-in adapters, one file each, in the default fallback order: free local tools first. */
export const builtInAdapters: ProviderAdapter[] = [
  localAdapter,
  openaiAdapter,
  googleAdapter,
  replicateAdapter,
  falAdapter,
  comfyUiAdapter,
  webhookAdapter,
];

import { runPipeline, type PipelineResult, type ProviderCall, type SavedTask } from "@/engine/pipeline";
import type { Capability } from "@/engine/providers/capabilities";
import { createDirectory } from "@/engine/providers/directory";
import type { ProviderAdapter, ProviderConfig } from "@/engine/providers/types";

/**
 * Runs one capability through the real pipeline with the given adapters (in fallback order), as a
 * job would: provider choice, retries, fallback, SSRF-safe fetching and cost records included.
 */
export async function runCapability(options: {
  adapters: { adapter: ProviderAdapter; config: ProviderConfig; enabled?: boolean }[];
  capability: Capability;
  image?: Buffer;
  stepOptions: Record<string, unknown>;
  /** Asset ids the runner may load (masks, references). */
  assets?: Record<string, Buffer>;
  family?: string;
  timeoutSeconds?: number;
  savedTask?: SavedTask;
  saveTask?: (task: SavedTask) => Promise<void>;
  signal?: AbortSignal;
  fetchLimits?: { maxBytes: number; timeoutMs: number };
}): Promise<PipelineResult & { progress: number[] }> {
  const progress: number[] = [];
  const calls: ProviderCall[] = [];
  const directory = createDirectory(options.adapters.map((a) => ({ ...a, enabled: a.enabled ?? true })));
  const result = await runPipeline(
    [
      {
        capability: options.capability,
        modelInput: options.family ? "model" : undefined,
        options: () => options.stepOptions,
        timeoutSeconds: options.timeoutSeconds,
      },
    ],
    {
      image: options.image,
      inputs: options.family ? { model: options.family } : {},
      directory,
      loadAsset: async (id) => {
        const bytes = options.assets?.[id];
        if (!bytes) throw new Error(`asset ${id} is not an input of this job`);
        return bytes;
      },
      onProgress: async (percent) => {
        progress.push(percent);
      },
      signal: options.signal,
      savedTask: options.savedTask,
      saveTask: options.saveTask,
      retry: { attemptsPerProvider: 2, baseDelayMs: 20 },
      fetchLimits: options.fetchLimits,
      calls,
    },
  );
  return { ...result, progress };
}

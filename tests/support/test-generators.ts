import { writeFileSync } from "node:fs";
import { z } from "zod";
import { resizeImage } from "@/engine/tools/resize";
import { registerProvider } from "@/engine/providers/registry";
import { registerGenerator } from "@/features/generators/server/registry";

/**
 * Generators that exist only in tests: a tool that always fails, and a slow one to kill a worker
 * in the middle of. They run through the real pipeline, queue and ledger.
 */
export const failingTool = { calls: 0 };

/** Registers them; returns the undo, for the test file's afterAll. */
export function registerTestGenerators(options: { slowMs?: number; startedMarker?: string } = {}): () => void {
  const undoProvider = registerProvider({
    id: "test-tools",
    capabilities: {
      // Real capability names (the list is closed); generators below prefer these over the local tools.
      grayscale: async () => {
        failingTool.calls += 1;
        throw new Error("this tool always fails");
      },
      resize: async (input, opts) => {
        if (!input) throw new Error("slow-resize needs an image");
        if (options.startedMarker) writeFileSync(options.startedMarker, String(process.pid));
        await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 0));
        return resizeImage(input, { width: Number(opts.width ?? 32) });
      },
    },
  });
  const base = {
    category: "basics" as const,
    price: 1,
    inputSchema: z.object({ image: z.uuid(), width: z.number().int().optional() }),
    imageInput: "image",
    assetInputs: ["image"],
  };
  const undoFailing = registerGenerator({
    ...base,
    id: "always-fails",
    steps: [{ capability: "grayscale", prefer: ["test-tools"], options: (i) => i }],
  });
  const undoSlow = registerGenerator({
    ...base,
    id: "slow",
    steps: [{ capability: "resize", prefer: ["test-tools"], options: (i) => i }],
  });
  return () => {
    undoSlow();
    undoFailing();
    undoProvider();
  };
}

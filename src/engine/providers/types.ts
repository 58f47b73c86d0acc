import type { ToolOutput } from "../tools/types";

/** A capability turns one image (and options) into one image. Later issues add prompt-only ones. */
export type CapabilityRunner = (input: Buffer, options: Record<string, unknown>) => Promise<ToolOutput>;

export type Provider = {
  id: string;
  capabilities: Partial<Record<string, CapabilityRunner>>;
};

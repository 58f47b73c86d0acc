import type { ToolOutput } from "../tools/types";

/** What a capability may use besides its image: other assets of the job, a deadline, progress. */
export type ToolContext = {
  /** Reads another asset named in the job's inputs (already checked to belong to the account). */
  loadAsset(assetId: string): Promise<Buffer>;
  /** Aborted when the step's time limit is reached. */
  signal: AbortSignal;
  /** 0..1 within the current step. */
  reportProgress(fraction: number): Promise<void>;
};

/**
 * A capability turns the current image (undefined for generators that start from several assets
 * or from a prompt) and options into one or more images.
 */
export type CapabilityRunner = (
  input: Buffer | undefined,
  options: Record<string, unknown>,
  context: ToolContext,
) => Promise<ToolOutput | ToolOutput[]>;

export type Provider = {
  id: string;
  capabilities: Partial<Record<string, CapabilityRunner>>;
};

import type { z } from "zod";
import type { ToolOutput } from "../tools/types";
import type { DeclaredVariable } from "@/server/env";
import type { Capability } from "./capabilities";

/**
 * A model a provider offers, with what it costs the operator. `family` names the model the way the
 * catalog does (e.g. "flux-schnell"), so one catalog choice can run at several vendors.
 */
export type ModelOffer = {
  /** The vendor's own model id, sent in the request. */
  id: string;
  family?: string;
  capabilities: Capability[];
  /** Provider cost in millionths of a US dollar per unit. */
  costMicros: number;
  unit: "image" | "second" | "call";
};

/** A remote file fetched with SSRF protection (see server/http/safe-fetch.ts). */
export type FetchedFile = { data: Buffer; mime: string };

/** What a capability may use besides its image: other assets, a deadline, progress, the network. */
export type ToolContext = {
  /** Reads another asset named in the job's inputs (already checked to belong to the account). */
  loadAsset(assetId: string): Promise<Buffer>;
  /** Aborted when the step's time limit is reached or the job is canceled. */
  signal: AbortSignal;
  /** 0..1 within the current step. */
  reportProgress(fraction: number): Promise<void>;
  /** The offer chosen for this call (generative providers); undefined for local tools. */
  model?: ModelOffer;
  /** The model family the user chose (e.g. "flux-dev"), for adapters without offers (webhook). */
  family?: string;
  /**
   * Fetches a result URL a vendor answered with. URLs on the provider's own configured host are
   * trusted; anything else must be a public address. Size and time are limited.
   */
  fetchResult(url: string): Promise<FetchedFile>;
  /** Overrides the cost the pipeline would compute from the offer (e.g. billed seconds). */
  recordUsage(usage: { units?: number; costMicros?: number }): void;
  /**
   * A long vendor task (a video) saves its task id here, so a retried attempt after a crash polls
   * the same task instead of paying for a new one.
   */
  task: { saved: Record<string, unknown> | undefined; save(state: Record<string, unknown>): Promise<void> };
};

/**
 * A capability turns the current image (undefined for generators that start from several assets
 * or from a prompt) and options into one or more outputs.
 */
export type CapabilityRunner = (
  input: Buffer | undefined,
  options: Record<string, unknown>,
  context: ToolContext,
) => Promise<ToolOutput | ToolOutput[]>;

/** A provider ready to run: its runners bound to one configuration. */
export type Provider = {
  id: string;
  capabilities: Partial<Record<Capability, CapabilityRunner>>;
  /** The options a capability accepts (local tools declare them): checked before it runs. */
  optionSchemas?: Partial<Record<Capability, z.ZodType>>;
};

/**
 * A setting of an adapter, declared once here: `env` is the vendor's conventional variable (e.g.
 * OPENAI_API_KEY), which env.ts checks by `kind` (a secret is also scrubbed from vendor messages; a
 * url must be one). Admins may set it on /admin/providers instead; its label there is the message
 * `adminProviders.settingNames.<name>`.
 */
export type ProviderSetting = DeclaredVariable & {
  name: string;
  required: boolean;
};

export type ProviderConfig = Record<string, string | undefined>;

/**
 * One AI vendor or self-hosted server. Declares what it serves and what it costs; `create` binds
 * the runners to a configuration (keys from the environment or the admin page).
 */
export type ProviderAdapter = {
  id: string;
  /** Shown to admins; a brand name, not translated. */
  name: string;
  settings: ProviderSetting[];
  models: ModelOffer[];
  /** Capabilities served without a model offer (local tools, webhook, ComfyUI workflows). */
  capabilities?: Capability[];
  create(config: ProviderConfig): Provider;
  /** A cheap authenticated call (list models, ...): throws a ProviderError when it fails. */
  testConnection(config: ProviderConfig, signal: AbortSignal): Promise<void>;
};

import type { ToolOutput } from "../tools/types";
import type {
  BackgroundByPromptOptions,
  EditOptions,
  FaceRestoreOptions,
  ImageToVideoOptions,
  InpaintOptions,
  OutpaintOptions,
  TextToImageOptions,
  UpscaleOptions,
} from "./capability-options";
import { requireImage } from "./image-request";
import type { Capability, GenerativeCapability } from "./capabilities";
import type { CapabilityRunner, ToolContext } from "./types";

/** The generative capabilities that work on the current image, with the options each receives. */
type ImageCapabilityOptions = {
  "edit-by-prompt": EditOptions;
  style: EditOptions;
  inpaint: InpaintOptions;
  outpaint: OutpaintOptions;
  "background-by-prompt": BackgroundByPromptOptions;
  /** Nothing of its own to say. */
  "remove-background": Record<string, unknown>;
  upscale: UpscaleOptions;
  "face-restore": FaceRestoreOptions;
  "image-to-video": ImageToVideoOptions;
};

type Outputs = Promise<ToolOutput | ToolOutput[]>;

/**
 * An adapter's handler per capability it serves. Indexing by every generative capability makes a
 * new one in types.ts fail to compile here until its options are named above.
 */
export type CapabilityHandlers<Call> = {
  "text-to-image"?: (call: Call, options: TextToImageOptions) => Outputs;
} & {
  [C in Exclude<GenerativeCapability, "text-to-image">]?: (
    call: Call,
    image: Buffer,
    options: ImageCapabilityOptions[C],
  ) => Outputs;
};

/**
 * A provider's runners from typed handlers: each run binds the adapter's call state to the step's
 * context (`call`), requires the input image where the capability works on one, and hands over the
 * catalog's options as that capability's type (capability-options.ts).
 */
export function capabilityTable<Call>(
  call: (context: ToolContext) => Call,
  handlers: CapabilityHandlers<Call>,
): Partial<Record<Capability, CapabilityRunner>> {
  const table: Partial<Record<Capability, CapabilityRunner>> = {};
  // Each handler's options type is its capability's; the runner receives them untyped from the catalog step.
  type Untyped = ((call: Call, ...rest: unknown[]) => Outputs) | undefined;
  for (const [capability, handler] of Object.entries(handlers) as [GenerativeCapability, Untyped][]) {
    if (!handler) continue;
    table[capability] =
      capability === "text-to-image"
        ? (_input, options, context) => handler(call(context), options)
        : (input, options, context) => handler(call(context), requireImage(input), options);
  }
  return table;
}

import type { AspectRatio } from "./capability-options";
import editByPrompt from "./comfyui-workflows/edit-by-prompt.json";
import imageToVideo from "./comfyui-workflows/image-to-video.json";
import inpaint from "./comfyui-workflows/inpaint.json";
import outpaint from "./comfyui-workflows/outpaint.json";
import textToImage from "./comfyui-workflows/text-to-image.json";
import upscale from "./comfyui-workflows/upscale.json";

/** A workflow in ComfyUI's API format: node id → node (what POST /prompt takes as `prompt`). */
export type ComfyNode = { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } };
export type ComfyWorkflow = Record<string, ComfyNode>;
export type WorkflowValue = string | number | boolean;

/**
 * The bundled workflows. text-to-image is FLUX.1 schnell (4 steps, the fp8 all-in-one checkpoint),
 * inpaint and outpaint the Stable Diffusion 2 inpainting checkpoint, upscale Real-ESRGAN x4plus,
 * edit-by-prompt FLUX.1 Kontext dev (also style, background-by-prompt and face-restore, by
 * instruction), image-to-video Wan 2.2 TI2V 5B: the models of ComfyUI's own examples and templates,
 * core nodes only, so a standard install only needs the files downloaded (docs/comfyui-provider.md).
 */
export const comfyWorkflows = {
  "text-to-image": textToImage,
  inpaint,
  outpaint,
  upscale,
  "edit-by-prompt": editByPrompt,
  "image-to-video": imageToVideo,
} satisfies Record<string, ComfyWorkflow>;
export type ComfyWorkflowName = keyof typeof comfyWorkflows;

/** FLUX works best near one megapixel, each side a multiple of 16. */
export const fluxSizes: Record<AspectRatio, { width: number; height: number }> = {
  "1:1": { width: 1024, height: 1024 },
  "4:3": { width: 1152, height: 864 },
  "3:4": { width: 864, height: 1152 },
  "16:9": { width: 1344, height: 768 },
  "9:16": { width: 768, height: 1344 },
  "3:2": { width: 1216, height: 832 },
  "2:3": { width: 832, height: 1216 },
};

/**
 * Wan 2.2 TI2V 5B is trained for 720p at 24 fps; sides are multiples of 32 (its latent node's step),
 * square at about the same pixel count.
 */
export const wanSizes: Record<"16:9" | "9:16" | "1:1", { width: number; height: number }> = {
  "16:9": { width: 1280, height: 704 },
  "9:16": { width: 704, height: 1280 },
  "1:1": { width: 960, height: 960 },
};
export const wanFps = 24;

/** Wan makes 4n + 1 frames (the first frame plus groups of four): 5 s at 24 fps are 121 frames. */
export function wanFrames(durationSeconds: number): number {
  return Math.round((wanFps * durationSeconds) / 4) * 4 + 1;
}

const placeholder = /^\{\{(\w+)\}\}$/;

/**
 * Puts values into a template. A placeholder is a whole JSON string ("{{seed}}") and is replaced by
 * a typed JSON value, never spliced into text: a prompt cannot break out of its string, and
 * placeholders inside a value ("{{seed}}" typed by a user) stay literal because values are not
 * scanned again.
 */
export function fillWorkflow(template: ComfyWorkflow, values: Record<string, WorkflowValue>): ComfyWorkflow {
  const fill = (node: unknown): unknown => {
    if (typeof node === "string") {
      const name = placeholder.exec(node)?.[1];
      if (name === undefined) {
        if (node.includes("{{")) throw new Error(`a workflow placeholder must be a whole value: ${node}`);
        return node;
      }
      if (!Object.hasOwn(values, name)) throw new Error(`the workflow needs a value for {{${name}}}`);
      return values[name];
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  return fill(template) as ComfyWorkflow;
}

/** The placeholder names a template uses. */
export function placeholdersOf(template: ComfyWorkflow): string[] {
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (typeof node === "string") {
      const name = placeholder.exec(node)?.[1];
      if (name) names.add(name);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") Object.values(node).forEach(walk);
  };
  walk(template);
  return [...names].sort();
}

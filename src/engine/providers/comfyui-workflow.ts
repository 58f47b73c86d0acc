import type { AspectRatio } from "./capability-options";
import editByPrompt from "./comfyui-workflows/edit-by-prompt.json";
import inpaint from "./comfyui-workflows/inpaint.json";
import outpaint from "./comfyui-workflows/outpaint.json";
import textToImage from "./comfyui-workflows/text-to-image.json";
import upscale from "./comfyui-workflows/upscale.json";

/** A workflow in ComfyUI's API format: node id → node (what POST /prompt takes as `prompt`). */
export type ComfyNode = { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } };
export type ComfyWorkflow = Record<string, ComfyNode>;
export type WorkflowValue = string | number | boolean;

/**
 * The bundled workflows, one per capability. text-to-image is FLUX.1 schnell (4 steps, the fp8
 * all-in-one checkpoint), inpaint and outpaint the Stable Diffusion 2 inpainting checkpoint, upscale
 * Real-ESRGAN x4plus, edit-by-prompt FLUX.1 Kontext dev: the models of ComfyUI's own examples, so a
 * standard install only needs the files downloaded (docs/comfyui-provider.md).
 */
export const comfyWorkflows = {
  "text-to-image": textToImage,
  inpaint,
  outpaint,
  upscale,
  "edit-by-prompt": editByPrompt,
} satisfies Record<string, ComfyWorkflow>;
export type ComfyCapability = keyof typeof comfyWorkflows;

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

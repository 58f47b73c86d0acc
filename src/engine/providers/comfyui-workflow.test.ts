import { describe, expect, it } from "vitest";
import {
  comfyWorkflows,
  fillWorkflow,
  fluxSizes,
  placeholdersOf,
  wanFrames,
  wanSizes,
  type ComfyWorkflow,
} from "./comfyui-workflow";

const template: ComfyWorkflow = {
  "1": { class_type: "CLIPTextEncode", inputs: { text: "{{prompt}}", clip: ["2", 1] } },
  "2": { class_type: "KSampler", inputs: { seed: "{{seed}}", steps: 4, names: ["{{prompt}}", "fixed"] } },
};

describe("fillWorkflow", () => {
  it("replaces whole-value placeholders with typed JSON values and leaves the template untouched", () => {
    const filled = fillWorkflow(template, { prompt: "a fox", seed: 12 });
    expect(filled).toEqual({
      "1": { class_type: "CLIPTextEncode", inputs: { text: "a fox", clip: ["2", 1] } },
      "2": { class_type: "KSampler", inputs: { seed: 12, steps: 4, names: ["a fox", "fixed"] } },
    });
    expect(template["2"]!.inputs.seed).toBe("{{seed}}");
  });

  it("does not scan values again, so a placeholder typed into a prompt stays text", () => {
    const filled = fillWorkflow(template, { prompt: "{{seed}}", seed: 3 });
    expect(filled["1"]!.inputs.text).toBe("{{seed}}");
  });

  it("refuses a template that needs a value it was not given", () => {
    expect(() => fillWorkflow(template, { prompt: "x" })).toThrow(/needs a value for \{\{seed\}\}/);
  });

  it("refuses placeholders spliced into text, which would invite string concatenation", () => {
    const spliced: ComfyWorkflow = { "1": { class_type: "CLIPTextEncode", inputs: { text: "photo of {{prompt}}" } } };
    expect(() => fillWorkflow(spliced, { prompt: "x" })).toThrow(/whole value/);
  });

  it("ignores values no placeholder asks for", () => {
    expect(fillWorkflow(template, { prompt: "p", seed: 1, unused: true })["2"]!.inputs.seed).toBe(1);
  });
});

describe("bundled workflows", () => {
  const expected: Record<string, string[]> = {
    "text-to-image": ["count", "height", "negative_prompt", "prompt", "seed", "width"],
    inpaint: ["image", "mask", "negative_prompt", "prompt", "seed"],
    outpaint: ["bottom", "image", "left", "negative_prompt", "prompt", "right", "seed", "top"],
    upscale: ["image", "scale_by"],
    "edit-by-prompt": ["count", "image", "prompt", "seed"],
    "image-to-video": ["fps", "height", "image", "length", "negative_prompt", "prompt", "seed", "width"],
  };
  /** The one node that writes each workflow's result, as ComfyUI reports it in the history. */
  const saveNode: Record<string, string> = { "image-to-video": "SaveVideo" };

  it.each(Object.entries(comfyWorkflows))(
    "%s uses exactly the placeholders its runner fills",
    (capability, workflow) => {
      expect(placeholdersOf(workflow)).toEqual(expected[capability]);
    },
  );

  it.each(Object.entries(comfyWorkflows))(
    "%s is a valid API-format graph ending in one save node",
    (capability, workflow) => {
      const nodes = Object.entries(workflow as ComfyWorkflow);
      for (const [, node] of nodes) {
        expect(typeof node.class_type).toBe("string");
        for (const value of Object.values(node.inputs)) {
          // A link is [node id, output index] and must point at a node of this graph.
          if (Array.isArray(value) && value.length === 2 && typeof value[1] === "number") {
            expect(Object.keys(workflow)).toContain(value[0]);
          }
        }
      }
      const saves = nodes.filter(([, node]) => node.class_type === "SaveImage" || node.class_type === "SaveVideo");
      expect(saves.map(([, node]) => node.class_type)).toEqual([saveNode[capability] ?? "SaveImage"]);
    },
  );

  it("makes the video from the uploaded image with Wan 2.2's own nodes, encoded as H.264 MP4", () => {
    const graph = comfyWorkflows["image-to-video"] as ComfyWorkflow;
    const byType = (type: string) => Object.entries(graph).find(([, node]) => node.class_type === type)!;
    const [latentId, latent] = byType("Wan22ImageToVideoLatent");
    const [loadId] = byType("LoadImage");
    expect(latent.inputs.start_image).toEqual([loadId, 0]);
    expect(byType("KSampler")[1].inputs.latent_image).toEqual([latentId, 0]);
    expect(byType("SaveVideo")[1].inputs).toMatchObject({
      format: "mp4",
      codec: "h264",
      video: [byType("CreateVideo")[0], 0],
    });
    expect(byType("UNETLoader")[1].inputs.unet_name).toBe("wan2.2_ti2v_5B_fp16.safetensors");
  });

  it("has Wan sizes on its 32-pixel grid near 720p, and 4n + 1 frames for each duration", () => {
    for (const { width, height } of Object.values(wanSizes)) {
      expect(width % 32).toBe(0);
      expect(height % 32).toBe(0);
      expect(width * height).toBeGreaterThan(0.85e6);
      expect(width * height).toBeLessThan(0.95e6);
    }
    expect(wanSizes["16:9"].width / wanSizes["16:9"].height).toBeCloseTo(16 / 9, 1);
    expect(wanSizes["9:16"]).toEqual({ width: wanSizes["16:9"].height, height: wanSizes["16:9"].width });
    expect(wanFrames(5)).toBe(121);
    expect(wanFrames(10)).toBe(241);
    expect((wanFrames(10) - 1) % 4).toBe(0);
  });

  it("has FLUX sizes that are multiples of 16 near one megapixel for every aspect ratio", () => {
    for (const { width, height } of Object.values(fluxSizes)) {
      expect(width % 16).toBe(0);
      expect(height % 16).toBe(0);
      expect(width * height).toBeGreaterThan(0.9e6);
      expect(width * height).toBeLessThan(1.1e6);
    }
  });
});

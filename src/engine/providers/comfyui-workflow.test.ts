import { describe, expect, it } from "vitest";
import { comfyWorkflows, fillWorkflow, fluxSizes, placeholdersOf, type ComfyWorkflow } from "./comfyui-workflow";

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
  };

  it.each(Object.entries(comfyWorkflows))("%s uses exactly the placeholders its runner fills", (capability, workflow) => {
    expect(placeholdersOf(workflow)).toEqual(expected[capability]);
  });

  it.each(Object.entries(comfyWorkflows))("%s is a valid API-format graph ending in SaveImage", (_capability, workflow) => {
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
    expect(nodes.filter(([, node]) => node.class_type === "SaveImage")).toHaveLength(1);
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

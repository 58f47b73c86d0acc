import { describe, expect, it } from "vitest";
import { generators as catalog } from "@/catalog/generators";
import type { Generator } from "../api/types";
import { enumValues, hasVariablePrice, lowestPrice, preselectedModel, priceFor, startingInputs } from "./pricing";

/** A generator as GET /api/v1/generators lists it, built from the real catalog entry. */
function listed(id: string, extra: Partial<Generator> = {}): Generator {
  const entry = catalog.find((g) => g.id === id);
  if (!entry) throw new Error(`no generator ${id}`);
  const properties: Generator["inputSchema"]["properties"] = {};
  for (const [name, field] of Object.entries(entry.inputSchema.shape)) {
    const json = (field as { toJSONSchema?: () => unknown }).toJSONSchema?.() as Record<string, unknown>;
    properties[name] = json;
  }
  return {
    id,
    title: id,
    description: "",
    category: entry.category,
    price: entry.price,
    pricing: entry.pricing ?? { base: entry.price },
    mode: entry.category === "basics" ? "sync" : "async",
    available: true,
    requires: [],
    inputSchema: { type: "object", properties },
    ...extra,
  };
}

describe("prices on the buttons", () => {
  it("text-to-image: the model's price times the number of images", () => {
    const generator = listed("text-to-image", {
      models: {
        "flux-schnell": true,
        "flux-dev": true,
        "gpt-image-1-mini": true,
        "gpt-image-1": true,
        "gemini-flash-image": true,
      },
    });
    expect(priceFor(generator, { model: "gpt-image-1", count: 3 })).toBe(15);
    expect(priceFor(generator, { model: "flux-dev", count: 1 })).toBe(3);
    expect(hasVariablePrice(generator)).toBe(true);
  });

  it("preselects the first model this server can run, and prices the form's start with it", () => {
    const generator = listed("text-to-image", {
      models: {
        "flux-schnell": false,
        "flux-dev": false,
        "gpt-image-1-mini": true,
        "gpt-image-1": true,
        "gemini-flash-image": false,
      },
    });
    expect(preselectedModel(generator)).toBe("gpt-image-1-mini");
    const inputs = startingInputs(generator);
    expect(inputs).toMatchObject({ model: "gpt-image-1-mini", count: 1, aspectRatio: "1:1" });
    expect(priceFor(generator, inputs)).toBe(2);
    // "from" counts only models that can run here.
    expect(lowestPrice(generator)).toBe(2);
  });

  it("ad-video by length; change-background with a prompt; variations by count", () => {
    const video = listed("ad-video");
    expect(priceFor(video, startingInputs(video))).toBe(10);
    expect(priceFor(video, { durationSeconds: 10 })).toBe(20);
    expect(lowestPrice(video)).toBe(10);

    const background = listed("change-background");
    expect(priceFor(background, {})).toBe(3);
    expect(priceFor(background, { prompt: "a sunny beach" })).toBe(5);
    expect(lowestPrice(background)).toBe(3);

    const variations = listed("variations");
    expect(priceFor(variations, startingInputs(variations))).toBe(8);
    expect(priceFor(listed("ai-headshot"), { count: 4 })).toBe(24);
  });

  it("a fixed price stays fixed", () => {
    const erase = listed("erase");
    expect(hasVariablePrice(erase)).toBe(false);
    expect(priceFor(erase, { image: "x", mask: "y" })).toBe(erase.price);
  });

  it("defaults given by the page replace the schema's", () => {
    const variations = listed("variations");
    expect(priceFor(variations, startingInputs(variations, { count: 3 }))).toBe(12);
  });
});

describe("enumValues", () => {
  it("reads enums and unions of constants (a video's 5 | 10 seconds)", () => {
    expect(enumValues({ enum: ["a", "b"] })).toEqual(["a", "b"]);
    expect(enumValues({ anyOf: [{ const: 5 }, { const: 10 }] })).toEqual([5, 10]);
    expect(enumValues({ anyOf: [{ type: "number" }, { const: "max" }] })).toBeUndefined();
    expect(enumValues({ type: "string" })).toBeUndefined();
  });
});

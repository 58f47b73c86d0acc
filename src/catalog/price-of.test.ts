import { describe, expect, it } from "vitest";
import { generators } from "./generators";
import { modelPrices } from "./generators/generative";
import { priceOf } from "./price-of";

const byId = (id: string) => generators.find((g) => g.id === id)!;
const ruleOf = (id: string) => byId(id).pricing ?? { base: byId(id).price };

describe("prices that follow the inputs", () => {
  it("text-to-image is priced per model and multiplied by the number of images", () => {
    const rule = ruleOf("text-to-image");
    expect(priceOf(rule, { model: "flux-schnell" })).toBe(modelPrices["flux-schnell"]);
    expect(priceOf(rule, { model: "gpt-image-1", count: 3 })).toBe(3 * modelPrices["gpt-image-1"]);
    expect(priceOf(rule, { model: "gemini-flash-image", count: 2 })).toBe(2 * modelPrices["gemini-flash-image"]);
  });

  it("a background prompt switches change-background to its AI price", () => {
    const rule = ruleOf("change-background");
    expect(priceOf(rule, { color: "#ffffff" })).toBe(byId("change-background").price);
    expect(priceOf(rule, { prompt: "a sunny beach" })).toBeGreaterThan(byId("change-background").price);
    expect(priceOf(rule, { prompt: "" })).toBe(byId("change-background").price);
  });

  it("a 10 second ad video costs twice a 5 second one; numbers match their string keys", () => {
    const rule = ruleOf("ad-video");
    expect(priceOf(rule, { durationSeconds: 10 })).toBe(2 * priceOf(rule, { durationSeconds: 5 }));
  });

  it("a count that is not a positive whole number does not change the price", () => {
    const rule = ruleOf("variations");
    expect(priceOf(rule, { count: 0 })).toBe(byId("variations").price);
    expect(priceOf(rule, { count: 2.5 })).toBe(byId("variations").price);
    expect(priceOf(rule, { count: 4 })).toBe(4 * byId("variations").price);
  });

  it("every generator's listed price is the price of its default inputs", () => {
    for (const generator of generators) {
      const defaults = generator.inputSchema.safeParse({}).data ?? {};
      if (generator.pricing) expect(priceOf(generator.pricing, defaults), generator.id).toBe(generator.price);
    }
  });
});

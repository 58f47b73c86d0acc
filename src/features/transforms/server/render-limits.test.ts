import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import de from "@/messages/de.json";
import { translate } from "@/server/i18n";
import { executeTransformation } from "./execute-transformation";
import { parseTransformation } from "./parse-transformation";
import { assertRenderBudget, chainPixels, maxChainSteps } from "./render-limits";
import type { BasicStep } from "./transformation-types";

const basics = (tr: string) => parseTransformation(tr).steps as BasicStep[];
const limits = { maxOutputPixels: 40_000_000, maxRenderPixels: 100_000_000 };

describe("the step limit of a chain", () => {
  it(`accepts ${maxChainSteps} steps and refuses one more with 400 invalid_transformation naming the limit`, () => {
    const chain = (n: number) => Array.from({ length: n }, () => "e-grayscale").join(":");
    expect(parseTransformation(chain(maxChainSteps)).steps).toHaveLength(maxChainSteps);
    expect(() => parseTransformation(chain(60))).toThrowError(
      expect.objectContaining({
        code: "invalid_transformation",
        status: 400,
        params: { param: "steps_limit", max: 10, count: 60 },
      }),
    );
    const params = { param: "steps_limit", max: 10, count: 60 };
    expect(translate("en", "errors.invalid_transformation", params)).toBe(
      "A transformation may have at most 10 steps; this one has 60.",
    );
    expect(translate("de", "errors.invalid_transformation", params)).toBe(
      "Eine Transformation darf höchstens 10 Schritte haben; diese hat 60.",
    );
    // Ordinary parameters keep their message; a token spelled like a limit does not pose as one.
    expect(translate("en", "errors.invalid_transformation", { param: "w-x" })).toContain("“w-x”");
    expect(() => parseTransformation("steps_limit")).toThrowError(
      expect.objectContaining({ params: { param: "steps_limit " } }),
    );
    expect(translate("en", "errors.invalid_transformation", { param: "steps_limit " })).toContain("not valid");
    expect(en.errors.invalid_transformation).toContain("pixels_limit");
    expect(de.errors.invalid_transformation).toContain("pixels_limit");
  });
});

describe("the pixel budget of a render", () => {
  it("sums the largest image each step handles, from the input size alone", () => {
    const size = { width: 4000, height: 3000 };
    // Downscale: the step handles its 12 MP input; then two steps on 400x300.
    expect(chainPixels(basics("w-400:e-grayscale:b-10_000000"), size, limits.maxOutputPixels)).toBe(
      12_000_000 + 120_000 + 420 * 320,
    );
    // Upscale: the output counts; a right-angle turn swaps sides; a free rotation takes its bounding box.
    expect(chainPixels(basics("w-8000,h-4000,c-force"), size, limits.maxOutputPixels)).toBe(32_000_000);
    expect(chainPixels(basics("rt-90:w-300"), size, limits.maxOutputPixels)).toBe(12_000_000 + 12_000_000);
    expect(chainPixels(basics("rt-45"), { width: 100, height: 100 }, limits.maxOutputPixels)).toBe(142 * 142);
  });

  it("refuses a chain over budget with 400 naming the limit, before any decoding", () => {
    const heavy = basics(Array.from({ length: 9 }, () => "e-grayscale").join(":"));
    expect(() => assertRenderBudget(heavy, { width: 5000, height: 5000 }, limits)).toThrowError(
      expect.objectContaining({
        code: "invalid_transformation",
        status: 400,
        params: { param: "pixels_limit", max: 100, count: 225 },
      }),
    );
    expect(() => assertRenderBudget(heavy.slice(0, 4), { width: 5000, height: 5000 }, limits)).not.toThrow();
    expect(translate("en", "errors.invalid_transformation", { param: "pixels_limit", max: 100, count: 225 })).toMatch(
      /225 megapixels.*at most 100/,
    );
  });

  it("makes the executor refuse from the header, before decoding", async () => {
    const input = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: "#888" } })
      .png()
      .toBuffer();
    await expect(
      executeTransformation({
        input,
        steps: basics(Array.from({ length: 10 }, () => "e-grayscale").join(":")),
        format: "png",
        limits: { maxInputPixels: 40_000_000, maxOutputPixels: 40_000_000, maxRenderPixels: 30_000_000 },
      }),
    ).rejects.toMatchObject({ code: "invalid_transformation", params: { param: "pixels_limit", max: 30, count: 40 } });
  });
});

describe("the time limit of a render", () => {
  it("stops a render past its time with 503 render_timeout and Retry-After", async () => {
    // Noise, so nothing about the image is cheap; ten wide blurs take far longer than a second.
    const side = 2500;
    const input = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const started = performance.now();
    const error = await executeTransformation({
      input,
      steps: basics(Array.from({ length: 10 }, () => "bl-100").join(":")),
      format: "png",
      limits: { maxInputPixels: 40_000_000, maxOutputPixels: 40_000_000 },
      timeoutSeconds: 1,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "render_timeout", status: 503, retryAfterSeconds: 5, params: { seconds: 1 } });
    // Stopped near the limit, not after finishing all ten blurs.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(translate("de", "errors.render_timeout", { seconds: 1 })).toContain("1 Sekunden");
  });
});

import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { cutOutSubject, maskIoU, subjectBox } from "./cutout";
import { inferenceThreads, modelDirectory, modelResources } from "./model";
import { composite, goldenComposite } from "./test-composite";

describe("background model", () => {
  it("finds both ISNet models in the package's resources.json", async () => {
    const { readFile } = await import("node:fs/promises");
    const manifest = JSON.parse(await readFile(`${modelDirectory()}/resources.json`, "utf8"));
    for (const key of Object.values(modelResources)) expect(manifest[key].chunks.length).toBeGreaterThan(1);
  });

  it("leaves a core free but uses at least one thread", () => {
    expect(inferenceThreads(1)).toBe(1);
    expect(inferenceThreads(2)).toBe(1);
    expect(inferenceThreads(8)).toBe(7);
  });

  // The golden test: a horse cut out of the cat photo with a known mask, over the Hubble deep field.
  it.each(["standard", "pro"] as const)(
    "cuts the horse out of the composite with IoU >= 0.95 (%s)",
    async (quality) => {
      const { image, mask } = await goldenComposite();
      const cutout = await cutOutSubject(image, { quality });
      expect(cutout.mask).toMatchObject({ width: composite.width, height: composite.height, channels: 1 });
      expect(cutout.mask.data.length).toBe(composite.width * composite.height);
      const iou = maskIoU(cutout.mask.data, mask);
      console.info(`golden mask IoU (${quality}): ${iou.toFixed(4)}`);
      expect(iou).toBeGreaterThanOrEqual(0.95);
      const box = await subjectBox(cutout.mask);
      const expected = await subjectBox({ ...cutout.mask, data: mask });
      // Soft edges (the tail) may widen the box by a few pixels: 1.5% of the composite.
      for (const side of ["left", "top", "width", "height"] as const) {
        expect(
          Math.abs(box![side] - expected![side]),
          `${JSON.stringify(box)} vs ${JSON.stringify(expected)}`,
        ).toBeLessThanOrEqual(12);
      }
    },
  );

  it("stops before the model when the step's time is up", async () => {
    const { image } = await goldenComposite();
    await expect(cutOutSubject(image, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it("answers a clear error for bytes that are not an image", async () => {
    await expect(cutOutSubject(Buffer.from("not an image"))).rejects.toMatchObject({ code: "corrupt_image" });
  });
});

describe("maskIoU", () => {
  it("is 1 for equal masks, 0 for disjoint ones, and the overlap share otherwise", () => {
    const a = Uint8Array.from([255, 255, 0, 0]);
    expect(maskIoU(a, a)).toBe(1);
    expect(maskIoU(a, Uint8Array.from([0, 0, 255, 255]))).toBe(0);
    expect(maskIoU(a, Uint8Array.from([255, 0, 0, 0]))).toBe(0.5);
  });
});

describe("subjectBox", () => {
  it("is the bounding box of the mask, undefined for an empty mask", async () => {
    const width = 40;
    const height = 30;
    const data = await sharp({ create: { width: 10, height: 5, channels: 3, background: "#ffffff" } })
      .extend({ left: 12, top: 7, right: width - 22, bottom: height - 12, background: "#000000" })
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect(await subjectBox({ data, width, height, channels: 1 })).toEqual({ left: 12, top: 7, width: 10, height: 5 });
    expect(await subjectBox({ data: Buffer.alloc(width * height), width, height, channels: 1 })).toBeUndefined();
  });
});

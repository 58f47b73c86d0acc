import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { addBorder, roundCorners, trimImage } from "./shape";
import { expectNoMetadata, fixture, jpegWithMetadata, pixelAt, solid } from "./test-helpers";

describe("border", () => {
  it("adds the width on every side in the colour", async () => {
    const out = await addBorder(await solid(30, 20, "#ffffff", "jpeg"), { width: 5, colour: "#ff0000" });
    expect(out).toMatchObject({ width: 40, height: 30, mime: "image/jpeg" });
    const [r, g, b] = await pixelAt(out.data, 1, 1);
    expect(r).toBeGreaterThan(240);
    expect(g! + b!).toBeLessThan(30);
    expect((await pixelAt(out.data, 20, 15)).slice(0, 3).every((v) => v > 240)).toBe(true);
  });

  it("a transparent border turns a JPEG into a PNG", async () => {
    const out = await addBorder(await jpegWithMetadata(fixture("chelsea.png")), { width: 3, colour: "#00000000" });
    expect(out).toMatchObject({ mime: "image/png", width: 457, height: 306 });
    expect((await pixelAt(out.data, 0, 0))[3]).toBe(0);
    expect((await pixelAt(out.data, 3, 3))[3]).toBe(255);
    await expectNoMetadata(out.data);
  });
});

describe("rounded corners", () => {
  it("makes the corners transparent and keeps the middle", async () => {
    const out = await roundCorners(await solid(100, 60, "#336699", "jpeg"), { radius: 20 });
    expect(out).toMatchObject({ mime: "image/png", width: 100, height: 60 });
    expect((await pixelAt(out.data, 0, 0))[3]).toBe(0);
    expect((await pixelAt(out.data, 99, 59))[3]).toBe(0);
    expect((await pixelAt(out.data, 20, 1))[3]).toBe(255); // where the curve has ended
    expect((await pixelAt(out.data, 50, 30))[3]).toBe(255);
  });

  it('"max" cuts a circle out of a square, as WebP when asked', async () => {
    const out = await roundCorners(await solid(80, 80, "#ff0000"), { radius: "max", format: "webp" });
    expect(out).toMatchObject({ mime: "image/webp", meta: { radius: 40 } });
    expect((await pixelAt(out.data, 6, 6))[3]).toBe(0); // inside the square, outside the circle
    expect((await pixelAt(out.data, 40, 1))[3]).toBeGreaterThan(200);
    expect((await pixelAt(out.data, 40, 40))[3]).toBe(255);
  });

  it('"max" on a wide image makes a pill', async () => {
    const out = await roundCorners(await solid(120, 40, "#ff0000"), { radius: "max" });
    expect(out.meta).toEqual({ radius: 20 });
    expect((await pixelAt(out.data, 2, 2))[3]).toBe(0);
    expect((await pixelAt(out.data, 60, 0))[3]).toBe(255); // the straight top edge
  });
});

describe("trim", () => {
  it("removes a uniform border around the content", async () => {
    const padded = await sharp(fixture("chelsea.png"))
      .extend({ top: 10, bottom: 20, left: 30, right: 5, background: "#ffffff" })
      .png()
      .toBuffer();
    const out = await trimImage(padded, { threshold: 10 });
    expect(out.meta).toEqual({ trimmed: true });
    expect(Math.abs(out.width - 451)).toBeLessThanOrEqual(2);
    expect(Math.abs(out.height - 300)).toBeLessThanOrEqual(2);
  });

  it("leaves an image of one colour as it is", async () => {
    const out = await trimImage(await solid(30, 30, "#123456"), {});
    expect(out).toMatchObject({ width: 30, height: 30, meta: { trimmed: false } });
  });
});

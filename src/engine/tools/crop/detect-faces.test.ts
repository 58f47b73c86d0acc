import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { detectFaces } from "./detect-faces";
import { fixture, jpegWithMetadata } from "./test-images";

describe("detectFaces (BlazeFace from @vladmandic/human on tfjs WASM)", () => {
  it("finds the astronaut's face in the upper middle of the photo", async () => {
    const { faces, width, height, ms } = await detectFaces(fixture("astronaut.png"));
    expect({ width, height }).toEqual({ width: 512, height: 512 });
    expect(faces).toHaveLength(1);
    const face = faces[0]!;
    expect(face.score).toBeGreaterThan(0.7);
    // A face, not the whole person: about a fifth of the frame.
    expect(face.width).toBeGreaterThan(70);
    expect(face.width).toBeLessThan(160);
    const centre = { x: (face.x + face.width / 2) / width, y: (face.y + face.height / 2) / height };
    expect(centre.x).toBeGreaterThan(0.3);
    expect(centre.x).toBeLessThan(0.6);
    expect(centre.y).toBeGreaterThan(0.15);
    expect(centre.y).toBeLessThan(0.4);
    expect(ms).toBeLessThan(5000);
  });

  it("finds no face in a cup of coffee", async () => {
    const { faces } = await detectFaces(fixture("coffee.png"));
    expect(faces).toEqual([]);
  });

  it("maps boxes back from the downscaled detection frame to the input's pixels", async () => {
    const small = await detectFaces(fixture("astronaut.png"));
    const large = await detectFaces(await sharp(fixture("astronaut.png")).resize(1536, 1536).png().toBuffer());
    const [a, b] = [small.faces[0]!, large.faces[0]!];
    expect(large.width).toBe(1536);
    expect(Math.abs(b.x / 3 - a.x)).toBeLessThan(8);
    expect(Math.abs(b.y / 3 - a.y)).toBeLessThan(8);
    expect(Math.abs(b.width / 3 - a.width)).toBeLessThan(8);
  });

  it("sees the photo the way a viewer does: EXIF orientation applied", async () => {
    // Stored turned on its side, with the tag that tells viewers to turn it back.
    const sideways = await jpegWithMetadata(await sharp(fixture("astronaut.png")).rotate(90).toBuffer(), 8);
    const upright = (await detectFaces(fixture("astronaut.png"))).faces[0]!;
    const { faces, width, height } = await detectFaces(sideways);
    expect({ width, height }).toEqual({ width: 512, height: 512 });
    expect(faces).toHaveLength(1);
    expect(Math.abs(faces[0]!.x - upright.x)).toBeLessThan(10);
    expect(Math.abs(faces[0]!.y - upright.y)).toBeLessThan(10);
  });

  it("reads 16-bit PNGs and transparent images", async () => {
    const deep = await sharp(fixture("astronaut.png")).toColourspace("rgb16").png().toBuffer();
    expect((await detectFaces(deep)).faces).toHaveLength(1);
    const transparent = await sharp(fixture("astronaut.png")).ensureAlpha(0.9).png().toBuffer();
    expect((await detectFaces(transparent)).faces).toHaveLength(1);
  });

  it("runs concurrent calls one after another with the right answers", async () => {
    const [face, none] = await Promise.all([detectFaces(fixture("astronaut.png")), detectFaces(fixture("coffee.png"))]);
    expect(face.faces).toHaveLength(1);
    expect(none.faces).toHaveLength(0);
  });
});

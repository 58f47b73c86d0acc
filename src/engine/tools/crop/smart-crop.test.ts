import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { detectFaces, type FaceBox } from "./detect-faces";
import { contains, type Rect } from "./geometry";
import { smartCrop } from "./smart-crop";
import { fixture, jpegWithMetadata, metadataOf } from "./test-images";

const astronaut = fixture("astronaut.png");

describe("smartCrop", () => {
  it.each(["1:1", "4:5", "16:9", "9:16", "3:2"])("crops the astronaut to %s around her face", async (aspect) => {
    const out = await smartCrop(astronaut, { focus: "face", aspect });
    const [w, h] = aspect.split(":").map(Number) as [number, number];
    expect(out.width * h).toBe(out.height * w); // exactly the ratio, not roughly
    expect(out.meta).toMatchObject({ focus: "face", faceFound: true, faces: 1 });
    const crop = out.meta!.crop as Rect;
    const face = (out.meta!.faceBoxes as FaceBox[])[0]!;
    expect(contains(crop, face)).toBe(true);
    // Centred horizontally unless the photo's edge is in the way (wide crops reach the left edge).
    const offCentre = Math.abs(face.x + face.width / 2 - (crop.left + crop.width / 2)) / crop.width;
    expect(offCentre).toBeLessThan(crop.left === 0 ? 0.1 : 0.02);
  });

  it("puts the face in the output's own pixels, not only in the numbers", async () => {
    const out = await smartCrop(astronaut, { focus: "face", aspect: "9:16" });
    expect(out).toMatchObject({ width: 288, height: 512, mime: "image/png" });
    const seen = await detectFaces(out.data);
    expect(seen.faces).toHaveLength(1);
    const face = seen.faces[0]!;
    expect(Math.abs(face.x + face.width / 2 - out.width / 2)).toBeLessThan(out.width * 0.1);
    expect(face.y).toBeGreaterThan(10); // headroom above the face
  });

  it("falls back to the subject without a face, and says so", async () => {
    const out = await smartCrop(fixture("coffee.png"), { focus: "face", aspect: "1:1" });
    expect(out).toMatchObject({ width: 400, height: 400 });
    expect(out.meta).toMatchObject({ focus: "subject", faceFound: false, faces: 0 });
  });

  it("crops by subject with libvips attention, exactly to the ratio", async () => {
    const out = await smartCrop(fixture("coffee.png"), { focus: "subject", aspect: "4:5" });
    expect(out).toMatchObject({ width: 320, height: 400 });
    expect(out.meta).toMatchObject({ focus: "subject", aspect: "4:5" });
    expect(out.meta).not.toHaveProperty("faceFound");
  });

  it("follows the subject off-centre where a centre crop would cut it", async () => {
    // A flat grey scene with the astronaut's portrait as the only thing of interest, far right.
    const subject = await sharp(astronaut).resize(150, 150).toBuffer();
    const scene = await sharp({ create: { width: 600, height: 400, channels: 3, background: "#777777" } })
      .composite([{ input: subject, left: 430, top: 120 }])
      .png()
      .toBuffer();
    const out = await smartCrop(scene, { focus: "subject", aspect: "1:1" });
    expect(out.meta!.crop).toEqual({ left: 200, top: 0, width: 400, height: 400 });
  });

  it("resizes to the asked width and height after cropping", async () => {
    expect(await smartCrop(astronaut, { focus: "subject", width: 300, height: 200 })).toMatchObject({
      width: 300,
      height: 200,
    });
    expect(await smartCrop(astronaut, { focus: "face", aspect: "16:9", width: 320 })).toMatchObject({
      width: 320,
      height: 180,
    });
    expect(await smartCrop(astronaut, { height: 100 })).toMatchObject({ width: 100, height: 100 });
  });

  it("keeps the format, applies EXIF orientation and carries no metadata out", async () => {
    // Stored sideways as 256×512; the tag turns it back to 512×256 for viewers.
    const stored = await sharp(astronaut).resize(512, 256, { fit: "fill" }).rotate(-90).toBuffer();
    const input = await jpegWithMetadata(stored, 6);
    expect(await metadataOf(input)).toMatchObject({
      orientation: 6,
      icc: expect.any(Buffer),
      exif: expect.any(Buffer),
    });
    const out = await smartCrop(input, { focus: "subject", aspect: "1:2" });
    expect(out).toMatchObject({ mime: "image/jpeg", ext: "jpg", width: 128, height: 256 });
    expect(await metadataOf(out.data)).toEqual({
      exif: undefined,
      xmp: undefined,
      iptc: undefined,
      icc: undefined,
      orientation: undefined,
    });
  });
});

import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { detectFaces } from "./detect-faces";
import type { Rect } from "./geometry";
import { makeHeadshot } from "./headshot";
import { fixture, metadataOf, sharpness } from "./test-images";

const astronaut = fixture("astronaut.png");

describe("makeHeadshot", () => {
  it("makes an 800×800 head-and-shoulders portrait with the face upper-centre", async () => {
    const out = await makeHeadshot(astronaut, { size: "profile" });
    expect(out).toMatchObject({ width: 800, height: 800, mime: "image/png" });
    expect(out.meta).toMatchObject({ size: "profile", focus: "face", faceFound: true, background: "blur" });
    const face = (await detectFaces(out.data)).faces[0]!;
    expect(Math.abs(face.x + face.width / 2 - 400)).toBeLessThan(60);
    expect(face.y + face.height / 2).toBeLessThan(400);
    // Head and shoulders, not a passport close-up nor a full figure.
    expect(face.height / 800).toBeGreaterThan(0.2);
    expect(face.height / 800).toBeLessThan(0.45);
    expect(await metadataOf(out.data)).toMatchObject({ exif: undefined, icc: undefined });
  });

  it("blurs the background and keeps the face sharp", async () => {
    const out = await makeHeadshot(astronaut);
    const face = (await detectFaces(out.data)).faces[0]!;
    const faceDetail = await sharpness(out.data, { left: face.x, top: face.y, width: face.width, height: face.height });
    const corner = { left: 0, top: 0, width: 120, height: 120 };
    const cornerDetail = await sharpness(out.data, corner);
    expect(cornerDetail * 3).toBeLessThan(faceDetail);
    // The same corner of the same crop without the blur has far more detail.
    const plain = await sharp(astronaut)
      .extract(out.meta!.crop as Rect)
      .resize(800, 800)
      .png()
      .toBuffer();
    expect(cornerDetail * 2).toBeLessThan(await sharpness(plain, corner));
  });

  it("makes a 1584×396 LinkedIn banner with the face right of centre", async () => {
    const out = await makeHeadshot(astronaut, { size: "linkedin-banner" });
    expect(out).toMatchObject({ width: 1584, height: 396 });
    expect(out.meta).toMatchObject({ size: "linkedin-banner", faceFound: true });
    const { faces } = await detectFaces(out.data);
    expect(faces).toHaveLength(1);
    const face = faces[0]!;
    const centreX = (face.x + face.width / 2) / 1584;
    expect(centreX).toBeGreaterThan(0.6);
    expect(centreX).toBeLessThan(0.75);
  });

  it("puts the person on a brand colour, cut out by background removal", async () => {
    const out = await makeHeadshot(astronaut, { background: "color", color: "#0a66c2" });
    expect(out).toMatchObject({ width: 800, height: 800 });
    expect(out.meta).toMatchObject({ background: "color", color: "#0a66c2", faceFound: true });
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 800 + x) * 3, (y * 800 + x) * 3 + 3)];
    // Corners above the shoulders are the colour; the face is not.
    for (const [x, y] of [
      [10, 10],
      [790, 10],
      [790, 300],
    ] as const)
      expect(at(x, y)).toEqual([10, 102, 194]);
    const face = (await detectFaces(out.data)).faces[0]!;
    const [r, , b] = at(Math.round(face.x + face.width / 2), Math.round(face.y + face.height / 2)) as [
      number,
      number,
      number,
    ];
    expect(r).toBeGreaterThan(b); // skin, not blue
  }, 60_000);

  it("still makes a headshot without a face, cropped by subject, and says so", async () => {
    const out = await makeHeadshot(fixture("coffee.png"));
    expect(out).toMatchObject({ width: 800, height: 800 });
    expect(out.meta).toMatchObject({ focus: "subject", faceFound: false, faces: 0 });
  });
});

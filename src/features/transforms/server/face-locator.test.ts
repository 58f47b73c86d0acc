import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharp } from "@/engine/sharp";
import { executeTransformation } from "./execute-transformation";
import { createFaceLocator } from "./face-locator";
import { parseTransformation } from "./parse-transformation";
import type { BasicStep } from "./transformation-types";

const limits = { maxInputPixels: 40_000_000, maxOutputPixels: 40_000_000 };
const astronaut = readFileSync("tests/fixtures/images/astronaut.png");

describe("fo-face with the real face detector", () => {
  const failOnError = createFaceLocator((error) => {
    throw error;
  });

  it("finds the astronaut's face, and the crop still contains it", async () => {
    const { data, info } = await sharp(astronaut).raw().toBuffer({ resolveWithObject: true });
    const raw = { data, info: { width: info.width, height: info.height, channels: info.channels } };
    const [face] = await failOnError(raw);
    // The face is in the upper middle of the portrait.
    expect(face!.x + face!.width / 2).toBeGreaterThan(180);
    expect(face!.x + face!.width / 2).toBeLessThan(330);
    expect(face!.y + face!.height / 2).toBeLessThan(256);

    const run = async (tr: string) => {
      const steps = parseTransformation(tr).steps as BasicStep[];
      return executeTransformation({ input: astronaut, steps, format: "png", limits, locateFaces: failOnError });
    };
    const extracted = await run("w-160,h-160,cm-extract,fo-face");
    expect(extracted.focus).toBe("face");
    const cropped = await sharp(extracted.data).raw().toBuffer({ resolveWithObject: true });
    const again = await failOnError({
      data: cropped.data,
      info: { width: 160, height: 160, channels: cropped.info.channels },
    });
    expect(again.length).toBe(1);

    // A letterbox crop moves up to the face instead of keeping the centre band.
    const banner = await run("w-300,h-100,fo-face");
    expect(banner.focus).toBe("face");
    expect(banner.data.equals((await run("w-300,h-100")).data)).toBe(false);
  });
});

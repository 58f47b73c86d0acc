import { describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { fixture } from "../crop/test-images";
import { superResolve } from "./esrgan";

describe("superResolve (ESRGAN slim, tiled)", () => {
  it("gives the same pixels tiled as in one piece: no seams", async () => {
    const { data, info } = await sharp(fixture("astronaut.png"))
      .extract({ left: 150, top: 50, width: 100, height: 80 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const progress: number[] = [];
    const tiled = await superResolve(data, info.width, info.height, {
      scale: 2,
      tile: 32,
      onProgress: (f) => void progress.push(f),
    });
    const whole = await superResolve(data, info.width, info.height, { scale: 2, tile: 1000 });
    expect(tiled.length).toBe(200 * 160 * 3);
    let worst = 0;
    for (let i = 0; i < tiled.length; i++) worst = Math.max(worst, Math.abs(tiled[i]! - whole[i]!));
    expect(worst).toBeLessThanOrEqual(2); // float rounding only
    expect(progress).toHaveLength(4 * 3);
    expect(progress.at(-1)).toBe(1);
  });
});

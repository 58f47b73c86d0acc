import { describe, expect, it } from "vitest";
import { expandFractions } from "./prompts";

describe("how much expand grows each side", () => {
  it("grows the chosen sides by the amount", () => {
    expect(expandFractions({ sides: "all", amount: 20 })).toEqual({ top: 0.2, right: 0.2, bottom: 0.2, left: 0.2 });
    expect(expandFractions({ sides: "left-right", amount: 50 })).toEqual({ top: 0, right: 0.5, bottom: 0, left: 0.5 });
    expect(expandFractions({ sides: "bottom", amount: 10 })).toEqual({ top: 0, right: 0, bottom: 0.1, left: 0 });
  });

  it("reaches a wider target canvas by growing left and right equally", () => {
    const grow = expandFractions({ width: 1600, height: 900 }, { width: 1000, height: 1000 });
    expect(grow.top).toBe(0);
    expect(grow.left).toBeCloseTo(grow.right);
    // 1000 px tall at 16:9 is 1777.8 px wide: 777.8 px more, half on each side.
    expect(1000 * (1 + grow.left + grow.right)).toBeCloseTo(1777.78, 1);
  });

  it("reaches a taller target canvas by growing top and bottom, and leaves a matching one alone", () => {
    const grow = expandFractions({ width: 900, height: 1600 }, { width: 1000, height: 1000 });
    expect(grow.left).toBe(0);
    expect(1000 * (1 + grow.top + grow.bottom)).toBeCloseTo(1777.78, 1);
    expect(expandFractions({ width: 800, height: 600 }, { width: 400, height: 300 })).toEqual({
      top: 0,
      right: 0,
      bottom: 0,
      left: 0,
    });
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cropGenerators } from "./crop";

const smartCrop = cropGenerators.find((g) => g.id === "smart-crop")!;

describe("smart-crop inputs", () => {
  // The aspect/sides check ran on an aspect that had already failed and threw: POST /jobs answered 500.
  it("refuses a malformed aspect beside width and height instead of throwing", () => {
    const result = smartCrop.inputSchema.safeParse({ image: randomUUID(), aspect: "xxx", width: 100, height: 100 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain("aspect");
  });

  it("still refuses an aspect that contradicts width and height", () => {
    const result = smartCrop.inputSchema.safeParse({ image: randomUUID(), aspect: "16:9", width: 100, height: 100 });
    expect(result.error?.issues[0]?.message).toMatch(/contradicts/);
    expect(
      smartCrop.inputSchema.safeParse({ image: randomUUID(), aspect: "1:1", width: 100, height: 100 }).success,
    ).toBe(true);
  });
});

import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import { signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

const cat = readFileSync("tests/fixtures/images/chelsea.png");

/** Ten steps (the most a chain may have), each of which makes the executor decode and re-process. */
function tenStepChain(variant: number): string {
  const colour = variant.toString(16).padStart(6, "0");
  return [
    `bg-${colour},e-grayscale`,
    "bl-3",
    "e-sharpen-20",
    "rt-90",
    "fl-h",
    "bl-2",
    "rt-270",
    "e-sharpen-10",
    "fl-v",
    "f-jpg",
  ].join(":");
}

describe("one account flooding /i/ with chained renders", () => {
  let server: TestServer;
  let flooder: TestUser;
  let other: TestUser;
  let image: string;

  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
    flooder = await signUpAndIn(server.baseUrl);
    other = await signUpAndIn(server.baseUrl);
    const photo = await sharp({
      create: {
        width: 2400,
        height: 1600,
        channels: 3,
        background: "#808080",
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 90 })
      .toBuffer();
    const upload = await flooder.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(photo, "noise.jpg", "image/jpeg"),
    );
    expect(upload.status).toBe(201);
    image = upload.body.asset.id;
  });
  afterAll(() => server?.close());

  it("does not make another account's small upload wait behind all of them", async () => {
    const finished: string[] = [];
    const renders = Array.from({ length: 8 }, (_, i) =>
      flooder.request(`/i/${image}/tr:${tenStepChain(i + 1)}`).then(async (response) => {
        await response.arrayBuffer();
        finished.push("render");
        return response.status;
      }),
    );
    // Every render is running or queued before the other account arrives.
    for (let i = 0; i < 600 && server.rt.cpu.running + server.rt.cpu.waiting < 8; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.rt.cpu.waiting).toBeGreaterThanOrEqual(4);

    const upload = await other.request("/api/v1/assets", uploadBody(cat, "cat.png", "image/png"));
    finished.push("upload");
    expect(upload.status).toBe(201);
    const rendersBefore = finished.indexOf("upload");
    expect(await Promise.all(renders)).toEqual(Array(8).fill(200));
    // First come, first served ran all eight renders first. Fair: the upload takes the first slot
    // that frees, so at most the two renders already running (and one that raced it) end before it.
    expect(rendersBefore).toBeLessThanOrEqual(3);
    expect(finished.slice(rendersBefore + 1)).toHaveLength(8 - rendersBefore);
  });

  it("refuses chains past the step and pixel limits before any image work", async () => {
    const run = vi.spyOn(server.rt.cpu, "run");
    try {
      const long = Array.from({ length: 60 }, () => "e-grayscale").join(":");
      const tooLong = await flooder.json<{ error: { code: string; message: string } }>(`/i/${image}/tr:${long}`);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error).toEqual({
        code: "invalid_transformation",
        message: "A transformation may have at most 10 steps; this one has 60.",
      });

      // 36 MP per step, ten times: far past six passes over the largest upload (6 x 40 MP).
      const heavy = ["w-6000,h-6000,c-force", ...Array.from({ length: 9 }, () => "e-grayscale")].join(":");
      const tooHeavy = await flooder.json<{ error: { code: string; message: string } }>(`/i/${image}/tr:${heavy}`);
      expect(tooHeavy.status).toBe(400);
      expect(tooHeavy.body.error.code).toBe("invalid_transformation");
      expect(tooHeavy.body.error.message).toMatch(/at most 240 megapixels/);
      expect(en.errors.invalid_transformation).toContain("{max} megapixels");
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
  });
});

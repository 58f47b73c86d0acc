import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Answer = { job: JobBody & { price: number } };
type Listed = {
  id: string;
  title: string;
  category: string;
  price: number;
  available: boolean;
  inputSchema: { properties: Record<string, { title?: string; description?: string }> };
};

// The vignette generator was added as one catalog entry plus its messages: it is listed, priced,
// runs on the local image-op tool and darkens the corners, not the middle.
describe("vignette over HTTP", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    user = await signUpAndIn(server.baseUrl);
  });
  afterAll(() => server?.close());

  it("is listed with its title, price and labelled strength in the caller's language", async () => {
    const listed = await fetch(`${server.baseUrl}/api/v1/generators`, { headers: { "accept-language": "de" } });
    const vignette = ((await listed.json()) as { generators: Listed[] }).generators.find((g) => g.id === "vignette");
    expect(vignette).toMatchObject({ title: "Vignette", category: "magic-studio", price: 1, available: true });
    expect(vignette!.inputSchema.properties.strength).toMatchObject({
      title: "Stärke (0–100)",
      description: expect.stringContaining("Ecken"),
    });
  });

  it("darkens the corners of an uploaded photo and charges one credit", async () => {
    const upload = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/coffee.png"), "coffee.png", "image/png"),
    );
    expect(upload.status).toBe(201);
    const submitted = await user.json<Answer>(
      "/api/v1/jobs",
      jsonBody({ generator: "vignette", inputs: { image: upload.body.asset.id, strength: 80 } }),
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body.job.price).toBe(1);
    const job = await waitForJob(user, submitted.body.job.id, 60_000);
    expect(job.status).toBe("succeeded");
    const output = job.outputs[0]!;
    const bytes = Buffer.from(
      await (await fetch(server.baseUrl + output.url, { headers: { cookie: user.cookie } })).arrayBuffer(),
    );
    if (process.env.VIGNETTE_OUTPUT) writeFileSync(process.env.VIGNETTE_OUTPUT, bytes);

    const source = await sharp(readFileSync("tests/fixtures/images/coffee.png"))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const result = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([result.info.width, result.info.height]).toEqual([source.info.width, source.info.height]);
    const luma = (image: typeof source, x: number, y: number) => {
      const i = (y * image.info.width + x) * image.info.channels;
      return image.data[i]! + image.data[i + 1]! + image.data[i + 2]!;
    };
    const { width, height } = source.info;
    const corner = [
      [2, 2],
      [width - 3, 2],
      [2, height - 3],
      [width - 3, height - 3],
    ] as const;
    for (const [x, y] of corner) expect(luma(result, x, y)).toBeLessThan(luma(source, x, y) * 0.5 + 3);
    expect(Math.abs(luma(result, width >> 1, height >> 1) - luma(source, width >> 1, height >> 1))).toBeLessThanOrEqual(
      6,
    );
    const ledger = await user.json<{ account: { balance: number; held: number } }>("/api/v1/ledger");
    expect(ledger.body.account).toMatchObject({ held: 0 });
  });
});

import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatorPrice } from "@/catalog/generators";
import { starterCredits } from "@/catalog/pricing";
import { goldenComposite } from "@/engine/tools/background/test-composite";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Submitted = { job: { id: string; status: string; price: number } };

// Model runs take seconds each on a small CPU and run one after another.
const jobTimeoutMs = 150_000;

describe("background tools over HTTP", () => {
  let server: TestServer;
  let owner: TestUser;
  let other: TestUser;
  let photoId: string;
  let backdropId: string;

  async function upload(user: TestUser, bytes: Buffer, name: string, mime: string): Promise<string> {
    const response = await user.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(bytes, name, mime));
    expect(response.status).toBe(201);
    return response.body.asset.id;
  }

  async function download(job: JobBody): Promise<Buffer> {
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.outputs).toHaveLength(1);
    const response = await owner.request(job.outputs[0]!.url);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  beforeAll(async () => {
    server = await startTestServer();
    [owner, other] = await Promise.all([signUpAndIn(server.baseUrl), signUpAndIn(server.baseUrl)]);
    photoId = await upload(owner, (await goldenComposite()).image, "horse.png", "image/png");
    backdropId = await upload(owner, readFileSync("tests/fixtures/images/coffee.png"), "coffee.png", "image/png");
  });
  afterAll(() => server?.close());

  it("removes a background, changes it to an uploaded image and makes a product photo, charging each price", async () => {
    const submit = (generator: string, inputs: Record<string, unknown>) =>
      owner.json<Submitted>("/api/v1/jobs", jsonBody({ generator, inputs }));
    const submitted = await Promise.all([
      submit("remove-background", { image: photoId, quality: "standard" }),
      submit("change-background", { image: photoId, backgroundImage: backdropId, padding: 5, position: "bottom" }),
      submit("product-photo", { image: photoId, preset: "square-1080" }),
    ]);
    for (const [index, generator] of (["remove-background", "change-background", "product-photo"] as const).entries()) {
      expect(submitted[index]!.status).toBe(202);
      expect(submitted[index]!.body.job.price).toBe(generatorPrice(generator));
    }
    const [removed, changed, product] = await Promise.all(
      submitted.map((s) => waitForJob(owner, s.body.job.id, jobTimeoutMs)),
    );

    const cutout = await sharp(await download(removed!)).metadata();
    expect(cutout).toMatchObject({ format: "png", width: 800, height: 600, hasAlpha: true });
    expect(cutout.exif).toBeUndefined();

    const changedMeta = await sharp(await download(changed!)).metadata();
    expect(changedMeta).toMatchObject({ format: "jpeg", width: 800, height: 600 });

    const productBytes = await download(product!);
    expect(await sharp(productBytes).metadata()).toMatchObject({ format: "jpeg", width: 1080, height: 1080 });
    const corner = await sharp(productBytes).extract({ left: 0, top: 0, width: 8, height: 8 }).raw().toBuffer();
    expect(Math.min(...corner)).toBeGreaterThanOrEqual(250);

    const spent =
      generatorPrice("remove-background") + generatorPrice("change-background") + generatorPrice("product-photo");
    const money = await moneyState(server.rt.db, await accountIdOf(owner));
    expect(money).toMatchObject({ balance: starterCredits - spent, held: 0, entriesSum: starterCredits - spent });
    expect(money.count("capture")).toBe(3);
    expect(money.count("release")).toBe(0);
  });

  it("answers 404 for another account's asset as the background image, and charges nothing", async () => {
    const ownPhoto = await upload(other, readFileSync("tests/fixtures/images/chelsea.png"), "chelsea.png", "image/png");
    const response = await other.json<{ error: { code: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "change-background", inputs: { image: ownPhoto, backgroundImage: backdropId } }),
    );
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
    const money = await moneyState(server.rt.db, await accountIdOf(other));
    expect(money).toMatchObject({ balance: starterCredits, held: 0 });
    expect(money.jobs).toHaveLength(0);
    expect(money.count("hold")).toBe(0);
  });

  it("refuses an image background without an image, before charging", async () => {
    const response = await owner.json<{ error: { code: string; fields?: Record<string, string[]> } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "change-background", inputs: { image: photoId, background: "image" } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_failed");
    expect(Object.keys(response.body.error.fields ?? {}).join()).toContain("backgroundImage");
  });
});

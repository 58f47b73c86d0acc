import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLedgerTotals } from "@/features/credits/server/ledger";
import { billingSubscriptions } from "@/server/db/schema";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { systemCtx } from "@/server/context";
import { startTestServer, type TestServer } from "../support/server";

type JobWithResult = JobBody & { price: number; result: Record<string, unknown> | null };
type Answer = { job: JobWithResult; error: { code: string; fields?: Record<string, string[]> } };

describe("smart crop, upscale and headshot over HTTP", () => {
  let server: TestServer;
  let user: TestUser;
  let astronautId: string;
  let coffeeId: string;

  async function upload(bytes: Buffer, name: string): Promise<string> {
    const answer = await user.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(bytes, name, "image/png"));
    expect(answer.status).toBe(201);
    return answer.body.asset.id;
  }

  const submit = (generator: string, inputs: Record<string, unknown>) =>
    user.json<Answer>("/api/v1/jobs", jsonBody({ generator, inputs }));

  /** Submits, waits for the worker, and reads the finished job with its result. */
  async function run(generator: string, inputs: Record<string, unknown>): Promise<JobWithResult> {
    const submitted = await submit(generator, inputs);
    expect(submitted.status).toBe(202);
    await waitForJob(user, submitted.body.job.id, 60_000);
    return (await user.json<Answer>(`/api/v1/jobs/${submitted.body.job.id}`)).body.job;
  }

  async function download(url: string): Promise<Buffer> {
    const response = await fetch(server.baseUrl + url);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  const account = async () =>
    (await user.json<{ account: { balance: number; held: number } }>("/api/v1/ledger")).body.account;

  beforeAll(async () => {
    server = await startTestServer();
    user = await signUpAndIn(server.baseUrl);
    astronautId = await upload(readFileSync("tests/fixtures/images/astronaut.png"), "astronaut.png");
    coffeeId = await upload(readFileSync("tests/fixtures/images/coffee.png"), "coffee.png");
  });
  afterAll(() => server?.close());

  it("crops to a face, says it found one, and charges the smart-crop price", async () => {
    const job = await run("smart-crop", { image: astronautId, focus: "face", aspect: "16:9" });
    expect(job).toMatchObject({ status: "succeeded", price: 1 });
    expect(job.result).toMatchObject({ focus: "face", faceFound: true, faces: 1, aspect: "16:9" });
    expect(job.outputs[0]).toMatchObject({ width: 512, height: 288 });
    expect(await account()).toMatchObject({ balance: 49, held: 0 });
  });

  it("falls back to the subject without a face and says so in the result", async () => {
    const job = await run("smart-crop", { image: coffeeId, focus: "face", aspect: "1:1", width: 200, height: 200 });
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ focus: "subject", faceFound: false });
    const bytes = await download(job.outputs[0]!.url);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 200, height: 200, format: "png" });
  });

  it("upscales 2x to exactly twice the size for the upscale price", async () => {
    const before = await account();
    const job = await run("upscale", { image: coffeeId, scale: 2 });
    expect(job).toMatchObject({ status: "succeeded", price: 2 });
    expect(job.result).toMatchObject({ method: "classic", scale: 2 });
    const bytes = await download(job.outputs[0]!.url);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 1200, height: 800 });
    expect(await account()).toMatchObject({ balance: before.balance - 2, held: 0 });
  });

  it("makes a profile headshot for the headshot price", async () => {
    const before = await account();
    const job = await run("headshot", { image: astronautId });
    expect(job).toMatchObject({ status: "succeeded", price: 4 });
    expect(job.result).toMatchObject({ size: "profile", faceFound: true, background: "blur" });
    expect(job.outputs[0]).toMatchObject({ width: 800, height: 800 });
    expect(await account()).toMatchObject({ balance: before.balance - 4, held: 0 });
  });

  it("refuses bad inputs with 400 and charges nothing", async () => {
    const before = await account();
    const badAspect = await submit("smart-crop", { image: astronautId, aspect: "wide" });
    expect(badAspect.status).toBe(400);
    expect(badAspect.body.error.code).toBe("validation_failed");
    const contradiction = await submit("smart-crop", { image: astronautId, aspect: "1:1", width: 300, height: 200 });
    expect(contradiction.status).toBe(400);
    const badScale = await submit("upscale", { image: astronautId, scale: 3 });
    expect(badScale.status).toBe(400);
    const badSize = await submit("headshot", { image: astronautId, size: "poster" });
    expect(badSize.status).toBe(400);
    const badColor = await submit("headshot", { image: astronautId, background: "color", color: "blue" });
    expect(badColor.status).toBe(400);
    expect(await account()).toEqual(before);
  });

  it("fails an upscale past the tool's size bound and gives the credits back", async () => {
    // Business makes 8000 px a side, so the plan lets this through: 7600x5600 is past the tool's 40 MP.
    await server.rt.db.insert(billingSubscriptions).values({
      id: "sub_upscale_bound",
      accountId: await accountIdOf(user),
      planId: "business",
      status: "active",
      currentPeriodEnd: new Date(Date.now() + 86_400_000),
    });
    const before = await account();
    const big = await sharp({ create: { width: 1900, height: 1400, channels: 3, background: "#406080" } })
      .png()
      .toBuffer();
    const job = await run("upscale", { image: await upload(big, "big.png"), scale: 4 });
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("image_too_large");
    expect(await account()).toEqual(before);
    // The ledger and the cached balance still agree after holds, captures and a release.
    const totals = await readLedgerTotals({
      ctx: systemCtx(server.rt.services, "test"),
      input: { accountId: await accountIdOf(user) },
    });
    expect(totals.balance).toBe(totals.entriesSum);
    expect(totals.held).toBe(0);
  });
});

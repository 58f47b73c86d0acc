import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "@/server/db/schema";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob, type JobBody } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Submitted = { job: JobBody & { price: number; result: Record<string, unknown> | null } };
type Ledger = { account: { balance: number; held: number } };

describe("basic edits and a calendar over HTTP", () => {
  let server: TestServer;
  let user: TestUser;
  let photoId: string;
  const monthIds: string[] = [];

  async function upload(owner: TestUser, bytes: Buffer, name: string): Promise<string> {
    const answer = await owner.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(bytes, name, "image/jpeg"));
    expect(answer.status).toBe(201);
    return answer.body.asset.id;
  }

  const submit = (owner: TestUser, generator: string, inputs: Record<string, unknown>, query = "") =>
    owner.json<Submitted & { error: { code: string; fields?: Record<string, string[]> } }>(
      `/api/v1/jobs${query}`,
      jsonBody({ generator, inputs }),
    );

  const balance = async (owner: TestUser) => {
    const { account } = (await owner.json<Ledger>("/api/v1/ledger")).body;
    return { balance: account.balance, held: account.held };
  };

  async function download(url: string) {
    const response = await fetch(server.baseUrl + url);
    expect(response.status).toBe(200);
    return { type: response.headers.get("content-type"), bytes: Buffer.from(await response.arrayBuffer()) };
  }

  beforeAll(async () => {
    server = await startTestServer();
    user = await signUpAndIn(server.baseUrl);
    const chelsea = readFileSync("tests/fixtures/images/chelsea.png");
    photoId = await upload(user, await sharp(chelsea).jpeg().toBuffer(), "chelsea.jpg");
    // Twelve small, different photos: the cat in twelve tints.
    for (let month = 0; month < 12; month++) {
      const tinted = await sharp(chelsea)
        .resize(120)
        .modulate({ hue: month * 30 })
        .jpeg()
        .toBuffer();
      monthIds.push(await upload(user, tinted, `month-${month + 1}.jpg`));
    }
  });
  afterAll(() => server?.close());

  it("crops, rotates, rounds and converts right away, and retouches and repairs in the worker", async () => {
    const crop = await submit(user, "crop", { image: photoId, x: 100, y: 50, width: 200, height: 120 }, "?wait=20");
    expect(crop.status).toBe(200);
    expect(crop.body.job).toMatchObject({ status: "succeeded", price: 1 });
    expect(crop.body.job.outputs[0]).toMatchObject({ width: 200, height: 120, mime: "image/jpeg" });

    const rotate = await submit(user, "rotate", { image: photoId, angle: 90 }, "?wait=20");
    expect(rotate.body.job.outputs[0]).toMatchObject({ width: 300, height: 451 });

    const round = await submit(user, "rounded-corners", { image: photoId, radius: "max" }, "?wait=20");
    const rounded = await download(round.body.job.outputs[0]!.url);
    expect(rounded.type).toBe("image/png");
    const corner = await sharp(rounded.bytes)
      .ensureAlpha()
      .extract({ left: 0, top: 0, width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect(corner[3]).toBe(0);

    const convert = await submit(user, "convert", { image: photoId, format: "webp", quality: 70 }, "?wait=20");
    const webp = await download(convert.body.job.outputs[0]!.url);
    expect(await sharp(webp.bytes).metadata()).toMatchObject({ format: "webp", width: 451, height: 300 });

    const retouch = await submit(user, "retouch", { image: photoId, strength: 60 });
    const repair = await submit(user, "repair", { image: photoId });
    expect([retouch.status, repair.status]).toEqual([202, 202]);
    expect([retouch.body.job.price, repair.body.job.price]).toEqual([2, 2]);
    for (const id of [retouch.body.job.id, repair.body.job.id]) {
      const job = await waitForJob(user, id);
      expect(job.status).toBe("succeeded");
      expect(job.outputs[0]).toMatchObject({ width: 451, height: 300 });
    }
    expect(await balance(user)).toEqual({ balance: 50 - 8, held: 0 });
  });

  it("fails a crop outside the image as a validation error and gives the credit back", async () => {
    const answer = await submit(user, "crop", { image: photoId, x: 400, y: 0, width: 100, height: 100 }, "?wait=20");
    expect(answer.body.job.status).toBe("failed");
    expect(answer.body.job.error?.code).toBe("validation_failed");
    expect(await balance(user)).toEqual({ balance: 42, held: 0 });
  });

  it("makes a German calendar from November across the new year: a 12-page PDF and 12 PNG pages", async () => {
    const submitted = await submit(user, "calendar", {
      images: monthIds,
      year: 2026,
      firstMonth: 11,
      locale: "de",
      format: "png",
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body.job.price).toBe(5);
    const job = await waitForJob(user, submitted.body.job.id, 60_000);
    expect(job.status).toBe("succeeded");
    expect(job.outputs).toHaveLength(13);
    expect(job.outputs[0]).toMatchObject({ mime: "application/pdf", width: 842, height: 595 });
    const { body } = await user.json<Submitted>(`/api/v1/jobs/${job.id}`);
    expect(body.job.result).toMatchObject({ pages: 12, from: "2026-11", to: "2027-10", locale: "de" });

    const pdf = await download(job.outputs[0]!.url);
    expect(pdf.type).toBe("application/pdf");
    expect((await PDFDocument.load(pdf.bytes)).getPageCount()).toBe(12);
    const page = await download(job.outputs[12]!.url);
    expect(await sharp(page.bytes).metadata()).toMatchObject({ format: "png", width: 1754, height: 1240 });
    expect(await balance(user)).toEqual({ balance: 42 - 5, held: 0 });
  });

  it("refuses 11 images with a validation error and charges nothing", async () => {
    const answer = await submit(user, "calendar", { images: monthIds.slice(0, 11), year: 2026 });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("validation_failed");
    expect(Object.keys(answer.body.error.fields ?? {})).toEqual(["inputs.images"]);
    expect(await balance(user)).toEqual({ balance: 37, held: 0 });
  });

  it("answers 404 for someone else's image among the twelve, and nothing happens", async () => {
    const stranger = await signUpAndIn(server.baseUrl);
    const foreignId = await upload(
      stranger,
      await sharp(readFileSync("tests/fixtures/images/coffee.png")).jpeg().toBuffer(),
      "x.jpg",
    );
    const before = await server.rt.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.accountId, await accountIdOf(user)));

    const answer = await submit(user, "calendar", { images: [...monthIds.slice(0, 11), foreignId], year: 2026 });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("not_found");
    expect(await balance(user)).toEqual({ balance: 37, held: 0 });
    const after = await server.rt.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(eq(jobs.accountId, await accountIdOf(user)));
    expect(after).toHaveLength(before.length);
    expect(await balance(stranger)).toEqual({ balance: 50, held: 0 });
  });
});

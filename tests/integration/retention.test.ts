import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepExpiredAssets, sweepRetentionQueue } from "@/features/assets/server/sweep-expired-assets";
import { readRetentionDeadline } from "@/features/billing/server/retention";
import { derivedKey } from "@/features/transforms/server/derived-key";
import { parseTransformation } from "@/features/transforms/server/parse-transformation";
import { systemCtx } from "@/server/context";
import { assets, billingSubscriptions } from "@/server/db/schema";
import { accountIdOf } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

const dayMs = 86_400_000;

describe("plan retention: deadlines at creation, an hourly sweep deletes what is past them", () => {
  let server: TestServer;
  let user: TestUser;
  let accountId: string;
  let upload: string;

  const assetRow = async (id: string) => (await server.rt.db.select().from(assets).where(eq(assets.id, id)))[0];
  const resize = async (width: number) => {
    const inputs = { image: upload, width, format: "png" };
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs }),
    );
    expect(submitted.status).toBe(202);
    const job = await waitForJob(user, submitted.body.job.id, 60_000);
    expect(job.status).toBe("succeeded");
    return job.outputs[0]!;
  };
  const sweepCtx = () => systemCtx(server.rt.services, "test");
  const deadlineOf = (accountId: string) => readRetentionDeadline({ ctx: sweepCtx(), input: { accountId } });
  const expire = (id: string) =>
    server.rt.db
      .update(assets)
      .set({ retentionUntil: new Date(Date.now() - 60_000) })
      .where(eq(assets.id, id));

  beforeAll(async () => {
    server = await startTestServer();
    user = await signUpAndIn(server.baseUrl);
    accountId = await accountIdOf(user);
    const image = readFileSync("tests/fixtures/images/chelsea.png");
    const uploaded = await user.json<{ asset: { id: string } }>("/api/v1/assets", uploadBody(image, "cat.png"));
    expect(uploaded.status).toBe(201);
    upload = uploaded.body.asset.id;
  });
  afterAll(() => server?.close());

  it("a Free account's outputs and uploads are kept 7 days from creation", async () => {
    const before = Date.now();
    const { assetId: output } = await resize(120);
    const outputRow = await assetRow(output);
    expect(outputRow?.kind).toBe("output");
    const outputDeadline = outputRow!.retentionUntil!.getTime();
    expect(outputDeadline).toBeGreaterThanOrEqual(before + 7 * dayMs - 1000);
    expect(outputDeadline).toBeLessThanOrEqual(Date.now() + 7 * dayMs + 1000);

    const uploadRow = await assetRow(upload);
    const uploadDeadline = uploadRow!.retentionUntil!.getTime() - uploadRow!.createdAt.getTime();
    expect(Math.abs(uploadDeadline - 7 * dayMs)).toBeLessThan(5000);
  });

  it("the deadline follows the account's live plan (Starter: 30 days)", async () => {
    const other = await signUpAndIn(server.baseUrl);
    const otherAccount = await accountIdOf(other);
    await server.rt.db
      .insert(billingSubscriptions)
      .values({ id: `sub_${randomUUID()}`, accountId: otherAccount, planId: "starter", status: "active" });
    const deadline = await deadlineOf(otherAccount);
    expect(Math.abs(deadline.getTime() - Date.now() - 30 * dayMs)).toBeLessThan(5000);
    // A canceled subscription no longer counts: back to Free's 7 days.
    await server.rt.db
      .update(billingSubscriptions)
      .set({ status: "canceled" })
      .where(eq(billingSubscriptions.accountId, otherAccount));
    const freeDeadline = await deadlineOf(otherAccount);
    expect(Math.abs(freeDeadline.getTime() - Date.now() - 7 * dayMs)).toBeLessThan(5000);
  });

  it("the sweep is scheduled hourly on the worker", async () => {
    const schedules = await server.rt.boss.getSchedules();
    expect(schedules.find((s) => s.name === sweepRetentionQueue.name)?.cron).toBe("0 * * * *");
  });

  it("an expired output is deleted from storage and the database; /i/, the API and the gallery stop serving it", async () => {
    const { assetId: doomed, url: doomedFile } = await resize(100);
    const { assetId: kept } = await resize(90);
    const doomedRow = (await assetRow(doomed))!;
    const keptRow = (await assetRow(kept))!;

    // A cached render under derived/<asset>/: the sweep deletes it with the asset.
    const render = await user.request(`/i/${doomed}/tr:w-40`);
    expect(render.status).toBe(200);
    expect((await fetch(new URL(doomedFile, server.baseUrl))).status).toBe(200);
    const { key: cachedKey } = derivedKey({
      assetId: doomed,
      canonical: parseTransformation("tr:w-40").canonical,
      format: "png",
      purpose: "final",
    });
    expect(await server.rt.storage.exists(cachedKey)).toBe(true);
    expect(
      (await user.json<{ assets: { id: string }[] }>("/api/v1/assets?kind=output&limit=50")).body.assets.map(
        (a) => a.id,
      ),
    ).toContain(doomed);

    await expire(doomed);
    const deleted = await sweepExpiredAssets({ ctx: sweepCtx() });
    expect(deleted).toBe(1);

    expect(await server.rt.storage.exists(doomedRow.storageKey)).toBe(false);
    expect(await assetRow(doomed)).toBeUndefined();
    expect((await user.request(`/api/v1/assets/${doomed}`)).status).toBe(404);
    // Its signed download link too, though the signature is still valid.
    expect((await fetch(new URL(doomedFile, server.baseUrl))).status).toBe(404);
    expect((await user.request(`/i/${doomed}`)).status).toBe(404);
    expect((await user.request(`/i/${doomed}/tr:w-40`)).status).toBe(404);
    expect(await server.rt.storage.exists(cachedKey)).toBe(false);
    const gallery = (
      await user.json<{ assets: { id: string }[] }>("/api/v1/assets?kind=output&limit=50")
    ).body.assets.map((a) => a.id);
    expect(gallery).not.toContain(doomed);

    // Everything else is untouched.
    expect(gallery).toContain(kept);
    expect(await server.rt.storage.exists(keptRow.storageKey)).toBe(true);
    expect((await user.request(`/i/${kept}`)).status).toBe(200);
    expect((await user.request(`/i/${upload}`)).status).toBe(200);
    expect(await assetRow(upload)).toBeDefined();

    // Nothing left to do: a second run deletes nothing.
    expect(await sweepExpiredAssets({ ctx: sweepCtx() })).toBe(0);
  });

  it("two sweeps at once delete each expired asset exactly once, in batches, missing files included", async () => {
    const count = 7;
    const keys = Array.from({ length: count }, () => `outputs/${randomUUID()}/0.png`);
    const bytes = readFileSync("tests/fixtures/images/chelsea.png");
    // The last one's file is already gone: the sweep still removes its row.
    for (const key of keys.slice(0, -1)) await server.rt.storage.put(key, bytes, "image/png");
    const past = new Date(Date.now() - 3600_000);
    const rows = await server.rt.db
      .insert(assets)
      .values(
        keys.map((storageKey) => ({
          accountId,
          kind: "output" as const,
          storageKey,
          mime: "image/png",
          bytes: bytes.length,
          sha256: "0".repeat(64),
          retentionUntil: past,
        })),
      )
      .returning({ id: assets.id });

    const results = await Promise.all([
      sweepExpiredAssets({ ctx: sweepCtx(), input: { batchSize: 2 } }),
      sweepExpiredAssets({ ctx: sweepCtx(), input: { batchSize: 2 } }),
    ]);
    expect(results[0] + results[1]).toBe(count);
    const left = await server.rt.db
      .select()
      .from(assets)
      .where(
        inArray(
          assets.id,
          rows.map((row) => row.id),
        ),
      );
    expect(left).toHaveLength(0);
    for (const key of keys) expect(await server.rt.storage.exists(key)).toBe(false);
    expect(await assetRow(upload)).toBeDefined();
  });
});

import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemCtx, type Ctx, type Services } from "@/server/context";
import { createCpuQueue } from "@/server/cpu-queue";
import { accounts, assets, users } from "@/server/db/schema";
import { parseEnv } from "@/server/env";
import { createKeyedEvents } from "@/server/events";
import { logger } from "@/server/logger";
import { createMailer } from "@/server/mail/mailer";
import { createStorage } from "@/server/storage";
import { openTestDatabase } from "../../../../tests/support/database";
import { createAsset, insertAssetRows, storeAssetFiles } from "./create-asset";

const dayMs = 86_400_000;

describe("createAsset: the one way an asset comes to exist", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let dataDir: string;
  let services: Services;
  let ctx: Ctx;
  let userId: string;
  const now = new Date("2026-01-10T12:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "pixelwerk-assets-"));
    const env = parseEnv({
      NODE_ENV: "test",
      DATA_DIR: dataDir,
      APP_SECRET: "test-secret-test-secret-test-secret-0123",
    });
    services = {
      env,
      db: database.db,
      queue: { send: async () => null },
      storage: createStorage(env),
      cpu: createCpuQueue({ concurrency: 1, maxWaiting: 10 }),
      events: createKeyedEvents(),
      clock: { now: () => now },
      logger,
      mailer: createMailer(env, database.db, () => undefined),
    };
    userId = randomUUID();
    await database.db.insert(users).values({ id: userId, name: "U", email: `${userId}@example.com` });
    const [account] = await database.db.insert(accounts).values({ ownerUserId: userId }).returning();
    ctx = { ...systemCtx(services, "test"), actor: { type: "user", userId, role: "user" }, accountId: account!.id };
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const file = (kind: "upload" | "output" | "derived", storageKey: string) => ({
    kind,
    storageKey,
    data: Buffer.from(`bytes of ${storageKey}`),
    mime: "image/png",
    width: 2,
    height: 1,
  });

  it("stores the bytes, then the row of the acting user's account, kept for the plan's days", async () => {
    const key = `uploads/${randomUUID()}.png`;
    const row = await createAsset({ ctx, input: { ...file("upload", key), name: "cat.png" } });
    expect(await services.storage.get(key)).toEqual(Buffer.from(`bytes of ${key}`));
    expect(row).toMatchObject({
      accountId: ctx.accountId,
      kind: "upload",
      bytes: file("upload", key).data.length,
      name: "cat.png",
    });
    expect(row.userId).toBe(userId);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Free plan: 7 days from the clock's now.
    expect(row.retentionUntil?.getTime()).toBe(now.getTime() + 7 * dayMs);
  });

  it("a repeat under the same key returns the row already there, not a second one", async () => {
    const key = `derived/${randomUUID()}/input.png`;
    const first = await createAsset({ ctx, input: file("derived", key) });
    const second = await createAsset({ ctx, input: file("derived", key) });
    expect(second.id).toBe(first.id);
    expect(await database.db.select().from(assets).where(eq(assets.storageKey, key))).toHaveLength(1);
  });

  it("an upload whose row cannot be written leaves no file behind", async () => {
    const key = `uploads/${randomUUID()}.png`;
    const stranger = { ...ctx, accountId: randomUUID() }; // no such account: the foreign key refuses the row
    await expect(createAsset({ ctx: stranger, input: file("upload", key) })).rejects.toThrow();
    expect(await services.storage.exists(key)).toBe(false);
  });

  it("a job's output rows appear only with the transaction that inserts them", async () => {
    const key = `outputs/${randomUUID()}/0.png`;
    const stored = await storeAssetFiles({ ctx, input: { files: [{ ...file("output", key), userId: null }] } });
    expect(await services.storage.exists(key)).toBe(true);
    await expect(
      database.db.transaction(async (tx) => {
        await insertAssetRows({ ctx: { ...ctx, db: tx }, input: { assets: stored } });
        throw new Error("the job was canceled meanwhile");
      }),
    ).rejects.toThrow("canceled");
    expect(await database.db.select().from(assets).where(eq(assets.storageKey, key))).toHaveLength(0);
    const [row] = await database.db.transaction((tx) =>
      insertAssetRows({ ctx: { ...ctx, db: tx }, input: { assets: stored } }),
    );
    expect(row).toMatchObject({ kind: "output", storageKey: key, userId: null });
  });
});

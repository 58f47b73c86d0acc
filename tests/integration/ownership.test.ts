import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetFilePath, signPath } from "@/features/assets/server/signed-url";
import { jobs } from "@/server/db/schema";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { waitForJob } from "../support/jobs";
import { startTestServer, type TestServer } from "../support/server";

type Asset = { id: string; url: string };
type Entry = { id: string; kind: string; amount: number };
type Me = { account: { id: string; balance: number; held: number } };

const png = readFileSync("tests/fixtures/images/chelsea.png");

/** Rule 2 of the design: another account's id is a 404, indistinguishable from an id that never existed. */
describe("one account cannot see or use another's data", () => {
  let server: TestServer;
  let a: TestUser;
  let b: TestUser;
  let aAsset: Asset;
  let aJobId: string;
  let aOutputId: string;
  let aEntries: Entry[];
  let bAsset: Asset;

  beforeAll(async () => {
    server = await startTestServer();
    a = await signUpAndIn(server.baseUrl);
    b = await signUpAndIn(server.baseUrl);

    const upload = await a.json<{ asset: Asset }>("/api/v1/assets", uploadBody(png, "chelsea.png", "image/png"));
    expect(upload.status).toBe(201);
    aAsset = upload.body.asset;
    const submitted = await a.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image: aAsset.id, width: 64 } }),
    );
    expect(submitted.status).toBe(202);
    aJobId = submitted.body.job.id;
    const job = await waitForJob(a, aJobId);
    expect(job.status).toBe("succeeded");
    aOutputId = job.outputs[0]!.assetId;
    aEntries = (await a.json<{ entries: Entry[] }>("/api/v1/ledger")).body.entries;
    expect(aEntries.map((e) => e.kind)).toEqual(["capture", "hold", "signup_bonus"]);

    // B has data of its own, so "B sees none of A's rows" is not just "B sees nothing".
    bAsset = (await b.json<{ asset: Asset }>("/api/v1/assets", uploadBody(png, "mine.png", "image/png"))).body.asset;
  });
  afterAll(() => server?.close());

  it.each([
    ["an asset", (id: () => string) => `/api/v1/assets/${id()}`, () => aAsset.id],
    ["a job's output asset", (id: () => string) => `/api/v1/assets/${id()}`, () => aOutputId],
    ["a job", (id: () => string) => `/api/v1/jobs/${id()}`, () => aJobId],
    ["a job's event stream", (id: () => string) => `/api/v1/jobs/${id()}/events`, () => aJobId],
    ["a ledger entry", (id: () => string) => `/api/v1/ledger/${id()}`, () => aEntries[0]!.id],
  ])("answers 404 for %s of another account, exactly as for an unknown id", async (_name, path, id) => {
    // The owner can read it: the 404 below is about ownership, not a broken route.
    const own = await a.request(path(id));
    expect(own.status).toBe(200);
    await own.body?.cancel();
    const foreign = await b.json(path(id));
    const unknown = await b.json(path(randomUUID));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: { code: "not_found", message: "Not found." } });
    expect(unknown).toEqual(foreign);
  });

  it("keeps another account's rows out of every list", async () => {
    const assets = await b.json<{ assets: Asset[] }>("/api/v1/assets?limit=100");
    expect(assets.body.assets.map((x) => x.id)).toEqual([bAsset.id]);

    const jobList = await b.json<{ jobs: { id: string }[] }>("/api/v1/jobs?limit=100");
    expect(jobList.status).toBe(200);
    expect(jobList.body.jobs.map((j) => j.id)).not.toContain(aJobId);
    expect(jobList.body.jobs).toEqual([]);

    const ledger = await b.json<{ entries: Entry[] }>("/api/v1/ledger?limit=100");
    const ids = ledger.body.entries.map((e) => e.id);
    expect(ledger.body.entries.map((e) => e.kind)).toEqual(["signup_bonus"]);
    for (const entry of aEntries) expect(ids).not.toContain(entry.id);

    // And A still sees its own (upload + output), none of B's.
    const aAssets = await a.json<{ assets: Asset[] }>("/api/v1/assets?limit=100");
    expect(aAssets.body.assets.map((x) => x.id).sort()).toEqual([aAsset.id, aOutputId].sort());
  });

  it("refuses a job on another account's asset without charging or queueing anything", async () => {
    const before = await b.json<Me>("/api/v1/me");
    const countJobs = async () =>
      (await server.rt.db.select({ n: count() }).from(jobs).where(eq(jobs.accountId, before.body.account.id)))[0]!.n;
    expect(await countJobs()).toBe(0);

    for (const image of [aAsset.id, aOutputId]) {
      const attempt = await b.json("/api/v1/jobs", jsonBody({ generator: "resize", inputs: { image, width: 64 } }));
      expect(attempt.status).toBe(404);
      expect(attempt.body).toEqual({ error: { code: "not_found", message: "Not found." } });
    }
    const stranger = await b.json(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image: randomUUID(), width: 64 } }),
    );
    expect(stranger.status).toBe(404);

    const after = await b.json<Me>("/api/v1/me");
    expect(after.body.account).toEqual(before.body.account);
    expect(after.body.account).toMatchObject({ balance: 50, held: 0 });
    expect(await countJobs()).toBe(0);
    const ledger = await b.json<{ entries: Entry[] }>("/api/v1/ledger");
    expect(ledger.body.entries).toHaveLength(1);

    // B's own asset works, so the 404s above were about ownership.
    const own = await b.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image: bAsset.id, width: 64 } }),
    );
    expect(own.status).toBe(202);
    expect((await waitForJob(b, own.body.job.id)).status).toBe("succeeded");
  });

  describe("signed file URLs", () => {
    const secret = () => server.rt.env.APP_SECRET;
    const get = (url: string) => fetch(server.baseUrl + url);

    async function expectForbidden(url: string) {
      const response = await get(url);
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe("forbidden");
    }

    it("serves the bytes of a valid link without any cookie", async () => {
      const response = await get(aAsset.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/png");
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect(meta).toMatchObject({ format: "png", width: 451, height: 300 });
    });

    it("refuses a tampered signature", async () => {
      const url = new URL(aAsset.url, server.baseUrl);
      const signature = url.searchParams.get("signature")!;
      const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
      url.searchParams.set("signature", flipped);
      await expectForbidden(url.pathname + url.search);
      url.searchParams.set("signature", "");
      await expectForbidden(url.pathname + url.search);
    });

    it("refuses a link whose expiry was moved without re-signing", async () => {
      const url = new URL(aAsset.url, server.baseUrl);
      url.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
      await expectForbidden(url.pathname + url.search);
    });

    it("refuses an expired link even with a correct signature", async () => {
      const past = Math.floor(Date.now() / 1000) - 5;
      await expectForbidden(signPath(secret(), assetFilePath(aAsset.id), past));
      // The same construction with a future expiry works: only the expiry differs.
      const future = Math.floor(Date.now() / 1000) + 60;
      expect((await get(signPath(secret(), assetFilePath(aAsset.id), future))).status).toBe(200);
    });

    it("refuses one asset's signature on another asset", async () => {
      const url = new URL(aAsset.url, server.baseUrl);
      await expectForbidden(`${assetFilePath(bAsset.id)}${url.search}`);
    });
  });
});

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generatorPrice } from "@/catalog/generators";
import { registerProvider } from "@/engine/providers/registry";
import { registerGenerator } from "@/features/generators/server/registry";
import { derivedKey } from "@/features/transforms/server/derived-key";
import { signImageUrl } from "@/features/transforms/server/image-url";
import { AppError } from "@/server/errors";
import { accountIdOf, moneyState } from "../support/accounts";
import { jsonBody, signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { pollUntilReady } from "../support/poll";
import { startTestServer, type TestServer } from "../support/server";

type Asset = { id: string };
const photo = readFileSync("tests/fixtures/images/hubble_deep_field.jpg");
const cat = readFileSync("tests/fixtures/images/chelsea.png");

/**
 * A stand-in for the real background remover (tested on its own): the URL path is what this file
 * tests, so the "model" just makes the left half transparent, fast and predictably.
 */
const cutout = { calls: 0 };
const broken = { calls: 0 };
/** Returns the undo: the catalog's own generators come back for the files that run after this one. */
function registerTestCutout(): () => void {
  const undoProvider = registerProvider({
    id: "transform-test-tools",
    capabilities: {
      // Real capability names (the list is closed); the generators below prefer these over the local tools.
      "remove-background": async (input) => {
        cutout.calls += 1;
        const meta = await sharp(input!).metadata();
        const half = Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${meta.width}" height="${meta.height}">` +
            `<rect x="${Math.floor(meta.width / 2)}" y="0" width="${meta.width}" height="${meta.height}" fill="#fff"/></svg>`,
        );
        const data = await sharp(input!)
          .ensureAlpha()
          .composite([{ input: half, blend: "dest-in" }])
          .png()
          .toBuffer();
        return { data, mime: "image/png", ext: "png", width: meta.width, height: meta.height };
      },
      retouch: async () => {
        broken.calls += 1;
        // An AppError is final at once (no queue retries), which keeps this test quick.
        throw new AppError("corrupt_image");
      },
    },
  });
  const undoRetouch = registerGenerator({
    id: "retouch",
    category: "magic-studio",
    price: generatorPrice("retouch"),
    inputSchema: z.strictObject({ image: z.uuid() }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: "retouch", prefer: ["transform-test-tools"], options: (inputs) => inputs }],
  });
  const undoRemoveBackground = registerGenerator({
    id: "remove-background",
    category: "magic-studio",
    price: generatorPrice("remove-background"),
    inputSchema: z.strictObject({ image: z.uuid() }),
    imageInput: "image",
    assetInputs: ["image"],
    steps: [{ capability: "remove-background", prefer: ["transform-test-tools"], options: (inputs) => inputs }],
  });
  return () => {
    undoRemoveBackground();
    undoRetouch();
    undoProvider();
  };
}

describe("URL transformations over HTTP (/i/)", () => {
  let server: TestServer;
  let a: TestUser;
  let b: TestUser;
  let asset: Asset;
  let bAsset: Asset;
  const anonymous = (path: string, init: RequestInit = {}) => fetch(server.baseUrl + path, init);
  const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

  let unregisterTestCutout = () => {};

  beforeAll(async () => {
    unregisterTestCutout = registerTestCutout();
    server = await startTestServer();
    [a, b] = await Promise.all([signUpAndIn(server.baseUrl), signUpAndIn(server.baseUrl)]);
    asset = (await a.json<{ asset: Asset }>("/api/v1/assets", uploadBody(photo, "hubble.jpg"))).body.asset;
    bAsset = (await b.json<{ asset: Asset }>("/api/v1/assets", uploadBody(cat, "cat.png"))).body.asset;
  });
  afterAll(async () => {
    unregisterTestCutout();
    await server?.close();
  });

  async function sign(user: TestUser, id: string, body: Record<string, unknown>) {
    return user.json<{ url: string; expiresAt: string; error?: { code: string; message: string } }>(
      `/api/v1/assets/${id}/sign`,
      jsonBody(body),
    );
  }

  it("serves the owner the original and transformed images, in both URL forms", async () => {
    const original = await a.request(`/i/${asset.id}`);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe("image/jpeg");
    const stored = await server.rt.storage.get(
      (await server.rt.db.query.assets.findFirst({ where: (t, { eq }) => eq(t.id, asset.id) }))!.storageKey,
    );
    expect((await bytesOf(original)).equals(stored)).toBe(true);

    const path = await a.request(`/i/${asset.id}/tr:w-100,h-80,fo-auto:f-webp`);
    expect(path.status).toBe(200);
    expect(path.headers.get("content-type")).toBe("image/webp");
    expect(path.headers.get("cache-control")).toBe("private, max-age=86400");
    expect(await sharp(await bytesOf(path)).metadata()).toMatchObject({ format: "webp", width: 100, height: 80 });
    // Same steps, other spelling: the same canonical transformation, so the same image and ETag.
    const query = await a.request(`/i/${asset.id}?tr=${encodeURIComponent("fo-auto,h-80,w-100:f-webp")}`);
    expect(query.status).toBe(200);
    expect(query.headers.get("etag")).toBe(path.headers.get("etag"));
    const head = await a.request(`/i/${asset.id}/tr:w-100,h-80,fo-auto:f-webp`, { method: "HEAD" });
    expect([head.status, head.headers.get("etag"), (await head.arrayBuffer()).byteLength]).toEqual([
      200,
      path.headers.get("etag"),
      0,
    ]);
  });

  it("answers 404 for another account's asset and unknown ids, 401 without session or signature", async () => {
    const foreign = await b.json(`/i/${asset.id}/tr:w-50`);
    const unknown = await b.json(`/i/${randomUUID()}/tr:w-50`);
    expect(foreign).toEqual({ status: 404, body: { error: { code: "not_found", message: "Not found." } } });
    expect(unknown).toEqual(foreign);
    expect((await b.request(`/i/not-a-uuid`)).status).toBe(404);
    expect((await anonymous(`/i/${asset.id}/tr:w-50`)).status).toBe(401);
    expect((await sign(b, asset.id, { tr: "w-50" })).status).toBe(404);
  });

  it("serves a signed URL to anyone, with public long-lived caching bounded by the expiry", async () => {
    const signed = await sign(a, asset.id, { tr: "tr:w-64", expiresIn: 3600 });
    expect(signed.status).toBe(200);
    expect(signed.body.url.startsWith(`${server.baseUrl}/i/${asset.id}/tr:w-64?expires=`)).toBe(true);
    const response = await fetch(signed.body.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=(\d+), immutable$/);
    const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get("cache-control")!)![1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3660);
    expect((await sharp(await bytesOf(response)).metadata()).width).toBe(64);
    // The signature covers the canonical steps, so the query form works with it too.
    const url = new URL(signed.body.url);
    const queryForm = `/i/${asset.id}?tr=w-64&${url.searchParams}`;
    expect((await anonymous(queryForm)).status).toBe(200);
    const doc = await (await anonymous("/api/v1/openapi.json")).json();
    expect(Object.keys(doc.paths["/assets/{id}/sign"])).toEqual(["post"]);
    // Without a TTL it is signed for a week.
    const week = await sign(a, asset.id, {});
    expect(Date.parse(week.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  });

  it("refuses tampered, moved and expired signatures with 403", async () => {
    const signed = new URL((await sign(a, asset.id, { tr: "w-64" })).body.url);
    const expectForbidden = async (path: string) => {
      const response = await anonymous(path);
      expect(response.status, path).toBe(403);
      expect((await response.json()).error.code).toBe("forbidden");
    };
    const query = signed.searchParams;
    await expectForbidden(`/i/${asset.id}/tr:w-65?${query}`);
    await expectForbidden(`/i/${asset.id}?${query}`);
    await expectForbidden(`/i/${bAsset.id}/tr:w-64?${query}`);
    const signature = query.get("signature")!;
    await expectForbidden(
      `/i/${asset.id}/tr:w-64?expires=${query.get("expires")}&signature=${(signature[0] === "A" ? "B" : "A") + signature.slice(1)}`,
    );
    await expectForbidden(`/i/${asset.id}/tr:w-64?expires=${Number(query.get("expires")) + 60}&signature=${signature}`);
    const past = Math.floor(Date.now() / 1000) - 5;
    await expectForbidden(
      signImageUrl({ secret: server.rt.env.APP_SECRET, assetId: asset.id, canonical: "w-64", expiresAt: past }),
    );
  });

  it("caches derived images in storage: served from there, with ETag and 304", async () => {
    const first = await a.request(`/i/${asset.id}/tr:w-120,bl-2`);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    const { key } = derivedKey({ assetId: asset.id, canonical: "bl-2,w-120", format: "jpg", purpose: "final" });
    expect(await server.rt.storage.exists(key)).toBe(true);
    expect((await server.rt.storage.get(key)).equals(await bytesOf(first))).toBe(true);

    // Replace the cached object: the next answer must be these bytes, proving it came from storage.
    const marker = await sharp({ create: { width: 3, height: 3, channels: 3, background: "#0f0" } })
      .jpeg()
      .toBuffer();
    await server.rt.storage.put(key, marker, "image/jpeg");
    const second = await a.request(`/i/${asset.id}/tr:bl-2,w-120`);
    expect(second.headers.get("etag")).toBe(etag);
    expect((await bytesOf(second)).equals(marker)).toBe(true);

    const notModified = await a.request(`/i/${asset.id}/tr:w-120,bl-2`, { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(
      (
        await a.request(`/i/${asset.id}`, {
          headers: { "if-none-match": `W/"x", ${(await a.request(`/i/${asset.id}`)).headers.get("etag")}` },
        })
      ).status,
    ).toBe(304);
  });

  it("negotiates f-auto from Accept: AVIF, then WebP, else the original format, with Vary: Accept", async () => {
    const get = (accept: string) => a.request(`/i/${asset.id}/tr:w-80:f-auto`, { headers: { accept } });
    const answers = await Promise.all([
      get("image/avif,image/webp,*/*"),
      get("image/webp,*/*;q=0.8"),
      get("*/*"),
      get("image/avif;q=0,image/webp"),
    ]);
    expect(answers.map((r) => r.headers.get("content-type"))).toEqual([
      "image/avif",
      "image/webp",
      "image/jpeg",
      "image/webp",
    ]);
    for (const answer of answers) expect(answer.headers.get("vary")).toBe("Accept");
    expect((await sharp(await bytesOf(answers[0]!)).metadata()).format).toBe("heif");
    expect(new Set(answers.slice(0, 3).map((r) => r.headers.get("etag"))).size).toBe(3);
    expect((await a.request(`/i/${asset.id}/tr:w-80`)).headers.get("vary")).toBeNull();
  });

  it("runs an AI step as one charged job: 202 with Retry-After until ready, then the image", async () => {
    const accountId = await accountIdOf(a);
    const before = await moneyState(server.rt.db, accountId);
    const path = `/i/${asset.id}/tr:w-200:e-bgremove:w-100`;
    // Several first requests at once still make one job.
    const firsts = await Promise.all([1, 2, 3, 4].map(() => a.request(path)));
    for (const first of firsts) {
      expect(first.status).toBe(202);
      expect(first.headers.get("retry-after")).toBe("2");
      expect(first.headers.get("cache-control")).toBe("no-store");
      expect(await first.json()).toMatchObject({
        status: "processing",
        step: "e-bgremove",
        job: { id: expect.any(String) },
      });
    }
    const ready = await pollUntilReady(() => a.request(path));
    expect(ready.headers.get("content-type")).toBe("image/png");
    const image = sharp(await bytesOf(ready));
    expect(await image.metadata()).toMatchObject({ format: "png", width: 100, hasAlpha: true });
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    expect(data[(10 * info.width + 5) * 4 + 3]).toBe(0);
    expect(data[(10 * info.width + 90) * 4 + 3]).toBe(255);

    // Repeats, other steps after the same AI step, and a signed URL of it share that job.
    expect((await a.request(path)).status).toBe(200);
    const signed = (await sign(a, asset.id, { tr: "w-200:e-bgremove:f-webp" })).body.url;
    expect((await pollUntilReady(() => fetch(signed))).headers.get("content-type")).toBe("image/webp");
    expect((await a.request(`/i/${asset.id}/tr:w-200:e-bgremove:w-60`)).status).toBe(200);

    const after = await moneyState(server.rt.db, accountId);
    const newJobs = after.jobs.filter((job) => !before.jobs.some((old) => old.id === job.id));
    expect(newJobs.map((job) => [job.generator, job.status])).toEqual([["remove-background", "succeeded"]]);
    expect(after.count("capture") - before.count("capture")).toBe(1);
    expect(after.balance).toBe(before.balance - generatorPrice("remove-background"));
    expect(cutout.calls).toBe(1);
    // The resized input the job ran on is a `derived` asset of the owner, not in the gallery.
    const derived = await a.json<{ assets: { id: string; width: number }[] }>("/api/v1/assets?kind=derived");
    expect(derived.body.assets.map((x) => [x.id, x.width])).toEqual([[newJobs[0]!.inputs.image, 200]]);
  });

  it("retries a failed AI step on later requests, then answers 422; failures cost nothing", async () => {
    const accountId = await accountIdOf(a);
    const before = await moneyState(server.rt.db, accountId);
    const path = `/i/${asset.id}/tr:e-retouch`;
    const statuses: number[] = [];
    const deadline = Date.now() + 30_000;
    while (statuses.at(-1) !== 422 && Date.now() < deadline) {
      const response = await a.request(path);
      if (statuses.at(-1) !== response.status || response.status !== 202) statuses.push(response.status);
      if (response.status === 422) expect((await response.json()).error.code).toBe("transformation_failed");
      else await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(statuses).toEqual([202, 422]);
    expect(broken.calls).toBe(3);
    const after = await moneyState(server.rt.db, accountId);
    const failed = after.jobs.filter((job) => job.generator === "retouch");
    expect(failed.map((job) => job.status)).toEqual(["failed", "failed", "failed"]);
    expect(after.balance).toBe(before.balance);
    expect(after.held).toBe(0);
  });

  it("answers 503 naming the keys for a generative step no provider here serves, and charges nothing", async () => {
    const accountId = await accountIdOf(a);
    const before = await moneyState(server.rt.db, accountId);
    const response = await a.json<{ error: { code: string; message: string } }>(
      `/i/${asset.id}/tr:e-edit-prompt-add%20a%20hat`,
    );
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe("provider_not_configured");
    expect(response.body.error.message).toContain("OPENAI_API_KEY");
    const after = await moneyState(server.rt.db, accountId);
    expect(after.balance).toBe(before.balance);
    expect(after.jobs).toHaveLength(before.jobs.length);
  });

  it("answers 400 naming a bad parameter, in English and German", async () => {
    const en = await a.json<{ error: { code: string; message: string } }>(`/i/${asset.id}/tr:w-100,zoom-2`);
    expect(en.status).toBe(400);
    expect(en.body.error).toEqual({
      code: "invalid_transformation",
      message: "The transformation parameter “zoom-2” is not valid or conflicts with another parameter.",
    });
    const de = await a.json<{ error: { message: string } }>(`/i/${asset.id}?tr=w-10,h-10,c-force,cm-extract`, {
      headers: { "accept-language": "de" },
    });
    expect(de.status).toBe(400);
    expect(de.body.error.message).toBe(
      "Der Transformationsparameter „cm-extract“ ist ungültig oder widerspricht einem anderen Parameter.",
    );
    expect((await sign(a, asset.id, { tr: "w-abc" })).body.error?.message).toContain("w-abc");
  });
});

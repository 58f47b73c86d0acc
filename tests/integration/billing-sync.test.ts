import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packs, plans } from "@/catalog/pricing";
import { lookupKeyOf, sellableItems } from "@/features/billing/server/stripe-catalog";
import { stripeClient } from "@/features/billing/server/stripe-client";
import { syncStripeCatalog } from "@/features/billing/server/sync-catalog";
import { startFakeStripe, type FakeStripe } from "../fakes/stripe";

const run = promisify(execFile);

describe("npm run stripe:sync: products and prices found by lookup key, idempotent", () => {
  let stripe: FakeStripe;
  let dataDir: string;
  const env = () => ({
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
  });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    dataDir = mkdtempSync(path.join(tmpdir(), "pixelwerk-sync-"));
  });
  afterAll(async () => {
    await stripe?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const postsSoFar = () => stripe.requests.filter((r) => r.method === "POST").length;

  it("run twice: the second run finds everything and writes nothing", async () => {
    const client = stripeClient(env())!;
    const first = await syncStripeCatalog(client);
    const sellable = packs.length + plans.filter((p) => p.priceCents > 0).length;
    expect(first).toHaveLength(sellable);
    expect(first.every((c) => c.product === "created" && c.price === "created")).toBe(true);
    const posts = postsSoFar();

    const second = await syncStripeCatalog(client);
    expect(second.map((c) => [c.product, c.price])).toEqual(Array(sellable).fill(["unchanged", "unchanged"]));
    expect(second.map((c) => c.priceId)).toEqual(first.map((c) => c.priceId));
    expect(postsSoFar()).toBe(posts);
    expect(stripe.store.products.size).toBe(sellable);
    expect(stripe.store.prices.size).toBe(sellable);

    const pro = [...stripe.store.prices.values()].find((p) => p.lookup_key === "pixelwerk_plan_pro_monthly")!;
    expect(pro).toMatchObject({
      unit_amount: 2900,
      currency: "usd",
      recurring: { interval: "month" },
      product: "pixelwerk_plan_pro",
      metadata: { pixelwerk_kind: "plan", pixelwerk_id: "pro" },
    });
    const small = [...stripe.store.prices.values()].find((p) => p.lookup_key === "pixelwerk_pack_small")!;
    expect(small).toMatchObject({
      unit_amount: 500,
      type: "one_time",
      recurring: null,
      product: "pixelwerk_pack_small",
    });
    const created = stripe.calls("POST", "/v1/prices");
    expect(created.every((p) => p.transfer_lookup_key === "true")).toBe(true);
  });

  it("a changed price becomes a new price that takes the lookup key over; the old one is archived", async () => {
    const client = stripeClient(env())!;
    const items = sellableItems().map((item) => (item.id === "small" ? { ...item, priceCents: 600 } : item));
    const before = [...stripe.store.prices.values()].find(
      (p) => p.lookup_key === lookupKeyOf({ kind: "pack", id: "small" }),
    )!;
    const changes = await syncStripeCatalog(client, items);
    expect(changes.filter((c) => c.price !== "unchanged")).toEqual([
      {
        lookupKey: "pixelwerk_pack_small",
        product: "unchanged",
        price: "replaced",
        priceId: expect.stringMatching(/^price_/),
      },
    ]);
    const holders = [...stripe.store.prices.values()].filter((p) => p.lookup_key === "pixelwerk_pack_small");
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatchObject({ unit_amount: 600, active: true });
    expect(stripe.store.prices.get(before.id)).toMatchObject({ active: false, lookup_key: null });
    // Back to the catalog's price: one more replacement, then nothing again.
    expect((await syncStripeCatalog(client)).filter((c) => c.price === "replaced")).toHaveLength(1);
    expect((await syncStripeCatalog(client)).every((c) => c.price === "unchanged")).toBe(true);
  });

  it("the npm script runs against the configured API and says when nothing changed; without a key it says what to set", async () => {
    const base = {
      ...process.env,
      DATA_DIR: dataDir,
      APP_SECRET: "sync-test-secret-sync-test-secret-0123",
      LOG_LEVEL: "warn",
    };
    const { stdout } = await run("npm", ["run", "-s", "stripe:sync"], { env: { ...base, ...env() } });
    expect(stdout).toContain("pixelwerk_plan_business_monthly");
    expect(stdout).toContain("Stripe already matches the catalog.");

    const failed = await run("npm", ["run", "-s", "stripe:sync"], {
      env: { ...base, STRIPE_SECRET_KEY: "", STRIPE_WEBHOOK_SECRET: "" },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("STRIPE_SECRET_KEY is not set");
  });
});

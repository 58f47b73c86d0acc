import "server-only";
import { billingCurrency, findPack, findPlan, packs, plans, type Pack, type Plan } from "@/catalog/pricing";
import { AppError } from "@/server/errors";
import type { StripeApi, StripePrice } from "./stripe-client";

/**
 * How the catalog (catalog/pricing.ts) maps onto Stripe: one product per pack and paid plan, with
 * our own product id, and its current price found by lookup key. Operators never copy price ids.
 */
export type CatalogItem =
  | { kind: "pack"; id: Pack["id"]; priceCents: number; credits: number; item: Pack }
  | { kind: "plan"; id: Plan["id"]; priceCents: number; credits: number; item: Plan };

export function lookupKeyOf(item: Pick<CatalogItem, "kind" | "id">): string {
  return item.kind === "pack" ? `pixelwerk_pack_${item.id}` : `pixelwerk_plan_${item.id}_monthly`;
}

export function productIdOf(item: Pick<CatalogItem, "kind" | "id">): string {
  return `pixelwerk_${item.kind}_${item.id}`;
}

/** Everything sold through Stripe: every pack and every plan that costs money. */
export function sellableItems(): CatalogItem[] {
  return [
    ...packs.map((pack): CatalogItem => ({
      kind: "pack",
      id: pack.id,
      priceCents: pack.priceCents,
      credits: pack.credits,
      item: pack,
    })),
    ...plans
      .filter((plan) => plan.priceCents > 0)
      .map((plan): CatalogItem => ({
        kind: "plan",
        id: plan.id,
        priceCents: plan.priceCents,
        credits: plan.monthlyCredits,
        item: plan,
      })),
  ];
}

export function findCatalogItem(kind: "pack" | "plan", id: string): CatalogItem | undefined {
  if (kind === "pack") {
    const pack = findPack(id);
    return pack && { kind, id: pack.id, priceCents: pack.priceCents, credits: pack.credits, item: pack };
  }
  const plan = findPlan(id);
  return plan && plan.priceCents > 0
    ? { kind, id: plan.id, priceCents: plan.priceCents, credits: plan.monthlyCredits, item: plan }
    : undefined;
}

/** The catalog item a Stripe price belongs to: by lookup key, else by the metadata stripe:sync wrote. */
export function catalogItemOfPrice(price: Pick<StripePrice, "lookup_key" | "metadata">): CatalogItem | undefined {
  for (const item of sellableItems()) if (price.lookup_key === lookupKeyOf(item)) return item;
  const kind = price.metadata?.pixelwerk_kind;
  const id = price.metadata?.pixelwerk_id;
  return (kind === "pack" || kind === "plan") && id ? findCatalogItem(kind, id) : undefined;
}

// Per Stripe client: an operator who changes the Stripe key gets a new client, and with it no stale ids.
const priceIdCaches = new WeakMap<StripeApi, Map<string, { priceId: string; expires: number }>>();
const itemByPriceIdCaches = new WeakMap<StripeApi, Map<string, CatalogItem | null>>();

function cacheOf<V>(caches: WeakMap<StripeApi, Map<string, V>>, stripe: StripeApi): Map<string, V> {
  let cache = caches.get(stripe);
  if (!cache) caches.set(stripe, (cache = new Map()));
  return cache;
}

/** The active price for an item, found by its lookup key (cached for a minute). */
export async function findPriceId(stripe: StripeApi, item: CatalogItem): Promise<string> {
  const key = lookupKeyOf(item);
  const priceIdCache = cacheOf(priceIdCaches, stripe);
  const cached = priceIdCache.get(key);
  if (cached && cached.expires > Date.now()) return cached.priceId;
  const list = await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 });
  const price = list.data[0];
  if (!price || price.unit_amount !== item.priceCents || price.currency !== billingCurrency) {
    // Missing or out of date: charging a price the catalog does not show would be wrong.
    throw new AppError("billing_not_synced", { message: `no current Stripe price for lookup key ${key}` });
  }
  priceIdCache.set(key, { priceId: price.id, expires: Date.now() + 60_000 });
  return price.id;
}

/** Which pack or plan a price id (from an invoice line) stands for; prices never change their product. */
export async function catalogItemOfPriceId(stripe: StripeApi, priceId: string): Promise<CatalogItem | undefined> {
  const itemByPriceId = cacheOf(itemByPriceIdCaches, stripe);
  if (!itemByPriceId.has(priceId))
    itemByPriceId.set(priceId, catalogItemOfPrice(await stripe.prices.retrieve(priceId)) ?? null);
  return itemByPriceId.get(priceId) ?? undefined;
}

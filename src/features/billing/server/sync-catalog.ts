import "server-only";
import { billingCurrency } from "@/catalog/pricing";
import { lookupKeyOf, productIdOf, sellableItems, type CatalogItem } from "./stripe-catalog";
import { isMissingResource, type StripeApi, type StripePrice } from "./stripe-client";

export type SyncChange = {
  lookupKey: string;
  product: "created" | "updated" | "unchanged";
  price: "created" | "replaced" | "unchanged";
  priceId: string;
};

const names: Record<CatalogItem["kind"], (item: CatalogItem) => string> = {
  pack: (item) => `Pixelwerk ${item.credits} credits`,
  plan: (item) => `Pixelwerk ${item.id[0]!.toUpperCase()}${item.id.slice(1)} plan`,
};

function priceMatches(price: StripePrice, item: CatalogItem, productId: string): boolean {
  const interval = price.recurring?.interval ?? null;
  const product = typeof price.product === "string" ? price.product : price.product.id;
  return (
    price.active &&
    price.unit_amount === item.priceCents &&
    price.currency === billingCurrency &&
    product === productId &&
    interval === (item.kind === "plan" ? "month" : null)
  );
}

/**
 * `npm run stripe:sync`: makes Stripe match catalog/pricing.ts. Products get our own ids, prices are
 * found by lookup key; a changed price becomes a new price that takes the lookup key over (prices
 * are immutable in Stripe) and the old one is archived. Running it again changes nothing.
 */
export async function syncStripeCatalog(
  stripe: StripeApi,
  items: CatalogItem[] = sellableItems(),
): Promise<SyncChange[]> {
  const changes: SyncChange[] = [];
  for (const item of items) {
    const productId = productIdOf(item);
    const lookupKey = lookupKeyOf(item);
    const metadata = { pixelwerk_kind: item.kind, pixelwerk_id: item.id };
    const name = names[item.kind](item);

    let product: SyncChange["product"] = "unchanged";
    try {
      const existing = await stripe.products.retrieve(productId);
      if (existing.name !== name || !existing.active) {
        await stripe.products.update(productId, { name, active: true, metadata });
        product = "updated";
      }
    } catch (error) {
      if (!isMissingResource(error)) throw error;
      await stripe.products.create({ id: productId, name, metadata });
      product = "created";
    }

    const [current] = (await stripe.prices.list({ lookup_keys: [lookupKey], limit: 1 })).data;
    if (current && priceMatches(current, item, productId)) {
      changes.push({ lookupKey, product, price: "unchanged", priceId: current.id });
      continue;
    }
    const created = await stripe.prices.create({
      product: productId,
      currency: billingCurrency,
      unit_amount: item.priceCents,
      lookup_key: lookupKey,
      transfer_lookup_key: true,
      metadata,
      ...(item.kind === "plan" ? { recurring: { interval: "month" as const } } : {}),
    });
    if (current?.active) await stripe.prices.update(current.id, { active: false });
    changes.push({ lookupKey, product, price: current ? "replaced" : "created", priceId: created.id });
  }
  return changes;
}

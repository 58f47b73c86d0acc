// `npm run stripe:sync`: creates or finds Pixelwerk's products and prices in Stripe by lookup key,
// from src/catalog/pricing.ts, so nobody copies price ids by hand. Safe to run again and again.
import { syncStripeCatalog } from "@/features/billing/server/sync-catalog";
import { stripeClient } from "@/features/billing/server/stripe-client";
import { getEnv } from "@/server/env";

const stripe = stripeClient(getEnv());
if (!stripe) {
  console.error(
    "STRIPE_SECRET_KEY is not set: set it (and STRIPE_WEBHOOK_SECRET) to the keys of your Stripe account, then run this again.",
  );
  process.exit(1);
}
const changes = await syncStripeCatalog(stripe);
for (const change of changes) {
  console.log(
    `${change.lookupKey.padEnd(34)} product ${change.product.padEnd(9)} price ${change.price.padEnd(9)} ${change.priceId}`,
  );
}
const touched = changes.filter((c) => c.product !== "unchanged" || c.price !== "unchanged").length;
console.log(
  touched === 0
    ? "Stripe already matches the catalog."
    : `Done: ${touched} of ${changes.length} items created or updated.`,
);

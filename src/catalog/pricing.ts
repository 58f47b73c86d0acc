/**
 * Plans, packs and grants, in whole credits. Data, not code paths. A generator's own price sits on
 * its catalog entry (./generators): local tools priced by the CPU time they take, generative ones by
 * what their providers cost.
 */
export const starterCredits = 50;

// Billing: what people pay (in cents of `billingCurrency`) and what they get. One list for the
// pricing page, checkout, the API, the admin and `npm run stripe:sync`. Ids are public: they name
// the Stripe lookup keys, so change a price here, never an id.
export const billingCurrency = "usd";

export type PlanLimits = {
  /** The largest width or height a job may ask for. */
  maxSide: number;
  /** Jobs queued or running at once; more wait for a slot of their own (a 403 says so). */
  concurrentJobs: number;
  /** Days outputs are kept. */
  retentionDays: number;
};

export type Plan = {
  id: "free" | "starter" | "pro" | "business";
  /** Per month; 0 for the free plan (not sold through Stripe). */
  priceCents: number;
  /** Granted once per paid invoice (each month). */
  monthlyCredits: number;
  /** "Unlimited" for people, with a fair-use cap: the monthly grant is that cap. */
  unlimited: boolean;
  limits: PlanLimits;
};

export const plans = [
  {
    id: "free",
    priceCents: 0,
    monthlyCredits: 0,
    unlimited: false,
    limits: { maxSide: 2048, concurrentJobs: 100, retentionDays: 7 },
  },
  {
    id: "starter",
    priceCents: 900,
    monthlyCredits: 250,
    unlimited: false,
    limits: { maxSide: 4096, concurrentJobs: 200, retentionDays: 30 },
  },
  {
    id: "pro",
    priceCents: 2900,
    monthlyCredits: 1000,
    unlimited: true,
    limits: { maxSide: 8000, concurrentJobs: 400, retentionDays: 90 },
  },
  {
    id: "business",
    priceCents: 9900,
    monthlyCredits: 4000,
    unlimited: false,
    limits: { maxSide: 8000, concurrentJobs: 1000, retentionDays: 365 },
  },
] as const satisfies readonly Plan[];

/** One-time credit packs ("coins"): no subscription, credits do not expire. */
export type Pack = { id: "small" | "medium" | "large"; priceCents: number; credits: number };

export const packs = [
  { id: "small", priceCents: 500, credits: 100 },
  { id: "medium", priceCents: 2000, credits: 500 },
  { id: "large", priceCents: 7000, credits: 2000 },
] as const satisfies readonly Pack[];

/**
 * What one credit is worth, in millionths of a US dollar: the revenue side of the admin's margin
 * view. Taken from the smallest pack, the list price of a credit; credits from larger packs and plans
 * cost people less, so the view shows the margin at list price.
 */
export const creditValueMicros = Math.round((packs[0].priceCents * 10_000) / packs[0].credits);

export function findPlan(id: string): Plan | undefined {
  return plans.find((plan) => plan.id === id);
}

export function findPack(id: string): Pack | undefined {
  return packs.find((pack) => pack.id === id);
}

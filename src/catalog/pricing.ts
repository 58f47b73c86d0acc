/**
 * Prices and grants, in whole credits. Data, not code paths: billing (later) reads plans and packs
 * from here too. Local tools are priced by the CPU time they take, generative ones (later) by
 * what their providers cost.
 */
export const starterCredits = 50;

export const generatorPrices = {
  // basics
  resize: 1,
  crop: 1,
  rotate: 1,
  flip: 1,
  convert: 1,
  blur: 1,
  sharpen: 1,
  border: 1,
  "rounded-corners": 1,
  trim: 1,
  grayscale: 1,
  // magic studio
  "remove-background": 2,
  "change-background": 3,
  "drop-shadow": 1,
  "smart-crop": 1,
  upscale: 2,
  retouch: 2,
  repair: 2,
  // specialised generators
  "product-photo": 4,
  headshot: 4,
  calendar: 5,
  // generative: priced above what their providers cost (see each adapter's price table) at the
  // credit's value, so every run keeps a margin whichever provider serves it
  edit: 5,
  expand: 5,
  erase: 4,
  style: 5,
  restore: 3,
  "ai-upscale": 3,
  "ai-headshot": 6,
  "ad-video": 10,
  variations: 4,
  "change-background-prompt": 5,
} as const satisfies Record<string, number>;

/** text-to-image, per image, by model family. */
export const modelPrices = {
  "flux-schnell": 1,
  "flux-dev": 3,
  "gpt-image-1-mini": 2,
  "gpt-image-1": 5,
  "gemini-flash-image": 4,
} as const satisfies Record<string, number>;

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
  { id: "free", priceCents: 0, monthlyCredits: 0, unlimited: false, limits: { maxSide: 2048, concurrentJobs: 100, retentionDays: 7 } },
  { id: "starter", priceCents: 900, monthlyCredits: 250, unlimited: false, limits: { maxSide: 4096, concurrentJobs: 200, retentionDays: 30 } },
  { id: "pro", priceCents: 2900, monthlyCredits: 1000, unlimited: true, limits: { maxSide: 8000, concurrentJobs: 400, retentionDays: 90 } },
  { id: "business", priceCents: 9900, monthlyCredits: 4000, unlimited: false, limits: { maxSide: 8000, concurrentJobs: 1000, retentionDays: 365 } },
] as const satisfies readonly Plan[];

export type PlanId = Plan["id"];

/** One-time credit packs ("coins"): no subscription, credits do not expire. */
export type Pack = { id: "small" | "medium" | "large"; priceCents: number; credits: number };

export const packs = [
  { id: "small", priceCents: 500, credits: 100 },
  { id: "medium", priceCents: 2000, credits: 500 },
  { id: "large", priceCents: 7000, credits: 2000 },
] as const satisfies readonly Pack[];

export type PackId = Pack["id"];

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

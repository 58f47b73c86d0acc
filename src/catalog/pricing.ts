/**
 * Prices and grants, in whole credits. Data, not code paths: billing (later) reads plans and packs
 * from here too.
 */
export const starterCredits = 50;

export const generatorPrices = {
  resize: 1,
} as const satisfies Record<string, number>;

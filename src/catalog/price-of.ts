/**
 * How a generator's price follows its inputs. Declarative, so the browser shows exactly the price
 * the server will hold: a base price, or a price per value of one input (a model), or a price when
 * an input is set (a prompt), times a count input (number of images).
 */
export type PriceRule = {
  base: number;
  byInput?: { field: string; prices: Record<string, number> };
  whenSet?: { field: string; price: number };
  timesInput?: string;
};

export function priceOf(rule: PriceRule, inputs: Record<string, unknown>): number {
  let unit = rule.base;
  if (rule.whenSet && inputs[rule.whenSet.field] !== undefined && inputs[rule.whenSet.field] !== "")
    unit = rule.whenSet.price;
  if (rule.byInput) {
    const value = inputs[rule.byInput.field];
    const key = typeof value === "number" ? String(value) : value;
    if (typeof key === "string" && rule.byInput.prices[key] !== undefined) unit = rule.byInput.prices[key];
  }
  const times = rule.timesInput ? Number(inputs[rule.timesInput] ?? 1) : 1;
  return unit * (Number.isInteger(times) && times > 0 ? times : 1);
}

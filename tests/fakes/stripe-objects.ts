import { randomBytes } from "node:crypto";

/** Stripe JSON, loosely typed: the fake builds and reads it like Stripe's own docs show it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; code?: string; message: string; param?: string },
  ) {
    super(body.message);
  }
}

const missing = (kind: string, id: string, param = "id") =>
  new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    param,
  });
const invalid = (message: string, param?: string, code = "parameter_invalid") =>
  new StripeApiError(400, { type: "invalid_request_error", code, message, param });

/** Decodes Stripe's form encoding (`a[b][0][c]=v`) into nested objects; all-numeric keys become arrays. */
export function decodeStripeForm(text: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else node = node[part] ??= {};
    });
  }
  const arrays = (value: unknown): unknown => {
    if (!value || typeof value !== "object") return value;
    const entries = Object.entries(value as Obj).map(([k, v]) => [k, arrays(v)] as const);
    return entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))
      ? entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
      : Object.fromEntries(entries);
  };
  return arrays(root) as Obj;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const list = (data: Obj[], url: string) => ({ object: "list", data, has_more: false, url });
const bool = (value: unknown) => value === true || value === "true";

/** The fake's state and the endpoints Pixelwerk calls, with Stripe's validation where it matters. */
export function stripeObjects() {
  const customers = new Map<string, Obj>();
  const products = new Map<string, Obj>();
  const prices = new Map<string, Obj>();
  const sessions = new Map<string, Obj>();
  const portalSessions: Obj[] = [];
  const subscriptions = new Map<string, Obj>();
  const invoices = new Map<string, Obj>();
  const invoicePayments: Obj[] = [];
  const charges = new Map<string, Obj>();

  function price(id: string): Obj {
    const found = prices.get(id);
    if (!found) throw missing("price", id);
    return found;
  }

  function createPrice(p: Obj): Obj {
    if (!p.currency || !p.product || p.unit_amount === undefined)
      throw invalid("Missing required param: currency, product or unit_amount.", "currency", "parameter_missing");
    if (!products.has(p.product)) throw missing("product", p.product, "product");
    if (p.lookup_key) {
      const holder = [...prices.values()].find((other) => other.lookup_key === p.lookup_key);
      if (holder && !bool(p.transfer_lookup_key))
        throw invalid(`A price (\`${holder.id}\`) already uses that lookup key.`, "lookup_key");
      if (holder) holder.lookup_key = null;
    }
    const created: Obj = {
      id: newId("price"),
      object: "price",
      active: true,
      billing_scheme: "per_unit",
      created: now(),
      currency: p.currency,
      livemode: false,
      lookup_key: p.lookup_key ?? null,
      metadata: p.metadata ?? {},
      nickname: p.nickname ?? null,
      product: p.product,
      recurring: p.recurring
        ? {
            interval: p.recurring.interval,
            interval_count: Number(p.recurring.interval_count ?? 1),
            usage_type: "licensed",
            meter: null,
          }
        : null,
      tax_behavior: "unspecified",
      type: p.recurring ? "recurring" : "one_time",
      unit_amount: Number(p.unit_amount),
      unit_amount_decimal: String(p.unit_amount),
    };
    prices.set(created.id, created);
    return created;
  }

  function createSession(p: Obj): Obj {
    if (!p.mode) throw invalid("Missing required param: mode.", "mode", "parameter_missing");
    if (!p.success_url) throw invalid("Missing required param: success_url.", "success_url", "parameter_missing");
    const lineItems = (p.line_items ?? []) as Obj[];
    if (lineItems.length === 0) throw invalid("Missing required param: line_items.", "line_items", "parameter_missing");
    if (p.customer && !customers.has(p.customer)) throw missing("customer", p.customer, "customer");
    const items = lineItems.map((item) => ({ price: price(item.price), quantity: Number(item.quantity ?? 1) }));
    if (items.some(({ price: pr }) => !pr.active))
      throw invalid("The price specified is inactive.", "line_items[0][price]");
    const recurring = items.some(({ price: pr }) => pr.type === "recurring");
    if (p.mode === "subscription" && !recurring)
      throw invalid(
        "You must provide at least one recurring price in `subscription` mode when using prices.",
        "line_items",
      );
    if (p.mode === "payment" && recurring)
      throw invalid("You specified `payment` mode but passed a recurring price.", "line_items");
    const id = `cs_test_${randomBytes(24).toString("hex")}`;
    const total = items.reduce((sum, { price: pr, quantity }) => sum + pr.unit_amount * quantity, 0);
    const session: Obj = {
      id,
      object: "checkout.session",
      amount_subtotal: total,
      amount_total: total,
      cancel_url: p.cancel_url ?? null,
      client_reference_id: p.client_reference_id ?? null,
      created: now(),
      currency: items[0]!.price.currency,
      customer: p.customer ?? null,
      expires_at: now() + 86_400,
      livemode: false,
      locale: p.locale ?? null,
      metadata: p.metadata ?? {},
      mode: p.mode,
      payment_intent: null,
      payment_status: "unpaid",
      status: "open",
      subscription: null,
      success_url: p.success_url,
      url: `https://checkout.stripe.com/c/pay/${id}`,
      // Kept for the fake's own use (the API returns line items from a separate endpoint).
      _items: items,
      _params: p,
    };
    sessions.set(id, session);
    return session;
  }

  function handle(method: string, resource: string, id: string | undefined, p: Obj): unknown {
    const key = `${method} ${resource}${id ? "/:id" : ""}`;
    switch (key) {
      case "POST customers": {
        const customer = {
          id: newId("cus"),
          object: "customer",
          created: now(),
          email: p.email ?? null,
          name: p.name ?? null,
          metadata: p.metadata ?? {},
          livemode: false,
        };
        customers.set(customer.id, customer);
        return customer;
      }
      case "GET customers/:id":
        return (
          customers.get(id!) ??
          (() => {
            throw missing("customer", id!);
          })()
        );
      case "GET products/:id":
        return (
          products.get(id!) ??
          (() => {
            throw missing("product", id!);
          })()
        );
      case "POST products": {
        if (!p.name) throw invalid("Missing required param: name.", "name", "parameter_missing");
        if (p.id && products.has(p.id)) throw invalid("Product already exists.", "id", "resource_already_exists");
        const product = {
          id: p.id ?? newId("prod"),
          object: "product",
          active: true,
          created: now(),
          updated: now(),
          name: p.name,
          description: p.description ?? null,
          metadata: p.metadata ?? {},
          livemode: false,
        };
        products.set(product.id, product);
        return product;
      }
      case "POST products/:id": {
        const product = products.get(id!);
        if (!product) throw missing("product", id!);
        Object.assign(product, {
          ...p,
          active: p.active === undefined ? product.active : bool(p.active),
          metadata: { ...product.metadata, ...p.metadata },
          updated: now(),
        });
        return product;
      }
      case "GET prices": {
        const keys = p.lookup_keys as string[] | undefined;
        const found = [...prices.values()].filter(
          (pr) =>
            (!keys || keys.includes(pr.lookup_key)) &&
            (p.active === undefined || pr.active === bool(p.active)) &&
            (!p.product || pr.product === p.product),
        );
        return list(found.slice(0, Number(p.limit ?? 10)), "/v1/prices");
      }
      case "GET prices/:id":
        return price(id!);
      case "POST prices":
        return createPrice(p);
      case "POST prices/:id": {
        const found = price(id!);
        if (p.active !== undefined) found.active = bool(p.active);
        if (p.metadata) found.metadata = { ...found.metadata, ...p.metadata };
        return found;
      }
      case "POST checkout/sessions": {
        const { _items, _params, ...session } = createSession(p);
        void _items;
        void _params;
        return session;
      }
      case "POST billing_portal/sessions": {
        if (!p.customer) throw invalid("Missing required param: customer.", "customer", "parameter_missing");
        if (!customers.has(p.customer)) throw missing("customer", p.customer, "customer");
        const session = {
          id: newId("bps"),
          object: "billing_portal.session",
          configuration: "bpc_default",
          created: now(),
          customer: p.customer,
          livemode: false,
          locale: p.locale ?? null,
          return_url: p.return_url ?? null,
          url: `https://billing.stripe.com/p/session/test_${randomBytes(16).toString("hex")}`,
        };
        portalSessions.push(session);
        return session;
      }
      case "GET subscriptions/:id":
        return (
          subscriptions.get(id!) ??
          (() => {
            throw missing("subscription", id!);
          })()
        );
      case "GET invoices/:id":
        return (
          invoices.get(id!) ??
          (() => {
            throw missing("invoice", id!);
          })()
        );
      case "GET invoice_payments": {
        const intent = p.payment?.payment_intent;
        const found = invoicePayments.filter(
          (ip) => (!intent || ip.payment.payment_intent === intent) && (!p.invoice || ip.invoice === p.invoice),
        );
        return list(found.slice(0, Number(p.limit ?? 10)), "/v1/invoice_payments");
      }
      default:
        throw new StripeApiError(404, {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${method}: /v1/${resource}).`,
        });
    }
  }

  return {
    customers,
    products,
    prices,
    sessions,
    portalSessions,
    subscriptions,
    invoices,
    invoicePayments,
    charges,
    handle,
    createPrice,
  };
}

import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { sendJson, startLoopback, type Loopback, type RecordedRequest } from "./loopback";
import { decodeStripeForm, StripeApiError, stripeObjects, type Obj } from "./stripe-objects";

/**
 * A loopback fake of the Stripe API (https://docs.stripe.com/api) that the real `stripe` SDK talks
 * to through STRIPE_API_BASE. It follows Stripe's wire format: form-encoded request bodies with
 * bracketed keys (`line_items[0][price]`), bearer-key auth, `Idempotency-Key` replay, JSON answers
 * with Stripe's object shapes (API 2026-10-28: invoice `parent.subscription_details`, line
 * `pricing.price_details`, period ends on subscription items), list objects and error bodies
 * `{ error: { type, code, message, param } }`. Only the endpoints Pixelwerk calls are served.
 */
export type FakeStripe = Loopback & {
  secretKey: string;
  webhookSecret: string;
  /** Decoded bodies of the calls to one endpoint, e.g. calls("POST", "/v1/customers"). */
  calls(method: string, path: string): Obj[];
  store: ReturnType<typeof stripeObjects>;
};

export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(12).toString("hex")}`;
  const store = stripeObjects();
  const replays = new Map<string, { status: number; body: unknown }>();

  const loopback = await startLoopback((request, response) => {
    const answer = (status: number, body: unknown) =>
      sendJson(response, status, body, { "request-id": `req_${randomBytes(7).toString("hex")}` });
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      return answer(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
    }
    const key = request.method === "POST" ? request.headers["idempotency-key"] : undefined;
    const replayKey = typeof key === "string" ? `${request.path} ${key}` : undefined;
    const earlier = replayKey ? replays.get(replayKey) : undefined;
    if (earlier) return answer(earlier.status, earlier.body);
    const { status, body } = route(store, request);
    if (replayKey && status < 500) replays.set(replayKey, { status, body });
    answer(status, body);
  });

  return {
    ...loopback,
    secretKey,
    webhookSecret: `whsec_${randomBytes(16).toString("hex")}`,
    store,
    calls: (method, path) =>
      loopback.requests
        .filter((r) => r.method === method && r.path.split("?")[0] === path)
        .map((r) => decodeStripeForm(method === "GET" ? (r.path.split("?")[1] ?? "") : r.body.toString("utf8"))),
  };
}

function route(store: ReturnType<typeof stripeObjects>, request: RecordedRequest): { status: number; body: unknown } {
  const [pathname = "", query = ""] = request.path.split("?");
  const params = decodeStripeForm(request.method === "GET" ? query : request.body.toString("utf8"));
  const match =
    /^\/v1\/(checkout\/sessions|billing_portal\/sessions|customers|products|prices|subscriptions|invoices|invoice_payments)(?:\/([^/]+))?$/.exec(
      pathname,
    );
  if (!match)
    return {
      status: 404,
      body: {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${pathname}).` },
      },
    };
  const [, resource = "", id] = match;
  try {
    const body = store.handle(request.method, resource, id, params);
    return { status: 200, body };
  } catch (error) {
    if (error instanceof StripeApiError) return { status: error.status, body: { error: error.body } };
    throw error;
  }
}

/** A Stripe event envelope (https://docs.stripe.com/api/events/object) around one object. */
export function stripeEvent(type: string, object: Obj, created = Math.floor(Date.now() / 1000)): Obj {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created,
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/**
 * POSTs an event to the webhook like Stripe does: the JSON body and a `Stripe-Signature` header
 * made by the SDK's own generateTestHeaderString (t=<unix seconds>,v1=<HMAC-SHA256 hex>).
 */
export async function deliverEvent(
  baseUrl: string,
  secret: string,
  event: Obj | string,
  options: { timestamp?: number; header?: string | null; body?: string } = {},
): Promise<{ status: number; body: Obj }> {
  const payload = typeof event === "string" ? event : JSON.stringify(event, null, 2);
  const header =
    options.header === undefined
      ? Stripe.webhooks.generateTestHeaderString({
          payload,
          secret,
          timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
        })
      : options.header;
  const response = await fetch(`${baseUrl}/api/webhooks/stripe`, {
    method: "POST",
    headers: {
      "content-type": "application/json; charset=utf-8",
      ...(header === null ? {} : { "stripe-signature": header }),
    },
    body: options.body ?? payload,
  });
  return { status: response.status, body: (await response.json()) as Obj };
}

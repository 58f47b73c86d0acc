/** One request of the OpenAPI walk (tests/integration/openapi-walk.test.ts). */
export type WalkRequest = {
  label: string;
  method: string;
  /** Raw path and query, appended to the base URL as is (escapes stay broken). */
  path: string;
  as: "user" | "admin" | "anon";
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
  /** better-auth answers in its own format; everything else must be our { error }. */
  ownErrorShape?: boolean;
};

/**
 * /i/ URLs with broken escapes and broken parameters. Only cheap steps: nothing here may be a
 * valid AI step (those cost credits and run jobs).
 */
export function imageUrlCases(assetId: string, absentId: string): WalkRequest[] {
  const steps = [
    "tr:w-%ZZ",
    "tr:%ZZ",
    "tr:w-100%",
    "tr:w-%C3%28",
    "tr:w-%00",
    "tr:w-99999999999",
    "tr:w-NaN",
    "tr:w--1",
    "tr:w-0",
    "tr:w-1e400",
    "tr:h-0.0000001",
    "tr:q-101",
    "tr:rt-361",
    "tr:bl-%00",
    "tr:bl-999",
    "tr:b-5_zz",
    "tr:bg-zzzzzz",
    "tr:r-max,r-1",
    "tr:fo-nowhere",
    "tr:cm-nothing",
    "tr:f-xyz",
    "tr:w-400::",
    "tr:",
    "tr:w",
    "tr:w-",
    "tr:,,,,",
    "tr:w-10,w-20",
    "tr:e-edit-prompt-%ZZ",
    "tr:e-edit-prompt-",
    "tr:e-changebg-prompt-%00",
    "tr:e-dropshadow-az-999",
    "tr:e-upscale-9",
    "tr:e-bgremove,e-retouch",
    "tr:w-10/extra",
    "tr:w-10%2F..%2F..",
    `tr:${"w-10,".repeat(500)}`,
    `tr:${"w-10:".repeat(100)}`,
    "not-tr",
    "%ZZ",
  ];
  const image = (label: string, path: string, headers: Record<string, string> = {}): WalkRequest => ({
    label: `/i/ ${label}`,
    method: "GET",
    path,
    as: "user",
    headers,
  });
  return [
    ...steps.map((step) => image(step.slice(0, 40), `/i/${assetId}/${step}`)),
    ...steps.slice(0, 12).map((step) => image(`?tr=${step.slice(3, 40)}`, `/i/${assetId}?tr=${step.slice(3)}`)),
    image("both path and ?tr", `/i/${assetId}/tr:w-10?tr=w-20`),
    image("%ZZ id", "/i/%ZZ"),
    image("%ZZ id with tr", "/i/%ZZ/tr:w-10"),
    image("traversal id", "/i/..%2F..%2Fetc%2Fpasswd/tr:w-10"),
    image("absent asset", `/i/${absentId}/tr:w-10`),
    image("not a uuid", "/i/not-a-uuid"),
    image("huge expires", `/i/${assetId}?expires=99999999999999999999&signature=x`),
    image("negative expires", `/i/${assetId}/tr:w-10?expires=-1&signature=x`),
    image("NaN expires", `/i/${assetId}?expires=NaN&signature=%ZZ`),
    image("expires past the last date", `/i/${assetId}?expires=8640000000001&signature=x`),
    image("signature without expires", `/i/${assetId}?signature=%FF`),
    { ...image("anonymous", `/i/${assetId}/tr:w-10`), as: "anon" },
    image("odd If-None-Match", `/i/${assetId}/tr:w-10`, { "if-none-match": '"",*,W/' }),
    image("odd Accept", `/i/${assetId}/tr:w-10,f-auto`, { accept: "image/*;q=NaN, ;;, */*;q=-1" }),
  ];
}

/** Routes outside the OpenAPI document that take input from anyone: the Stripe webhook, auth, health. */
export function otherSurfaceCases(): WalkRequest[] {
  const post = (
    label: string,
    path: string,
    body: string,
    headers: Record<string, string>,
    ownErrorShape = false,
  ): WalkRequest => ({
    label,
    method: "POST",
    path,
    as: "anon",
    headers,
    body,
    ownErrorShape,
  });
  return [
    post("stripe webhook without signature", "/api/webhooks/stripe", "{}", { "content-type": "application/json" }),
    post("stripe webhook, garbage signature", "/api/webhooks/stripe", "{", {
      "content-type": "application/json",
      "stripe-signature": "t=%ZZ,v1=zz",
    }),
    post("stripe webhook, huge timestamp", "/api/webhooks/stripe", "{}", {
      "stripe-signature": "t=99999999999999999999,v1=00",
    }),
    post("sign-in, malformed JSON", "/api/auth/sign-in/email", "{", { "content-type": "application/json" }, true),
    post(
      "sign-in, wrong types",
      "/api/auth/sign-in/email",
      '{"email":[],"password":{}}',
      { "content-type": "application/json" },
      true,
    ),
    post("sign-up, text/plain", "/api/auth/sign-up/email", "email=a", { "content-type": "text/plain" }, true),
    post(
      "forget-password, wrong types",
      "/api/auth/request-password-reset",
      '{"email":1e400}',
      { "content-type": "application/json" },
      true,
    ),
    {
      label: "get-session, broken cookie",
      method: "GET",
      path: "/api/auth/get-session",
      as: "anon",
      headers: { cookie: "better-auth.session_token=%ZZ; NEXT_LOCALE=%ZZ" },
      ownErrorShape: true,
    },
    {
      label: "health, broken locale cookie",
      method: "GET",
      path: "/api/health",
      as: "anon",
      headers: { cookie: "NEXT_LOCALE=%ZZ" },
    },
    { label: "unknown /api/v1 route", method: "GET", path: "/api/v1/%ZZ/..%2F", as: "user" },
  ];
}

/** Bodies in content types a JSON route does not take, each built from the route's JSON. */
export const contentTypeCases: {
  label: string;
  headers: Record<string, string>;
  body: (json: string) => WalkRequest["body"];
}[] = [
  { label: "text/plain", headers: { "content-type": "text/plain" }, body: (json) => json },
  { label: "multipart", headers: {}, body: (json) => formWith("data", json) },
  {
    label: "multipart without boundary",
    headers: { "content-type": "multipart/form-data" },
    body: () => "--x\r\n\r\n",
  },
  {
    label: "truncated multipart",
    headers: { "content-type": "multipart/form-data; boundary=zz" },
    body: () => truncatedMultipart,
  },
  { label: "urlencoded", headers: { "content-type": "application/x-www-form-urlencoded" }, body: () => "a=1&b=%ZZ" },
  { label: "no content type", headers: {}, body: (json) => new TextEncoder().encode(json) },
  { label: "xml", headers: { "content-type": "application/xml" }, body: () => "<a/>" },
  {
    label: "json, charset utf-16",
    headers: { "content-type": "application/json; charset=utf-16" },
    body: (json) => json,
  },
  { label: "broken content type", headers: { "content-type": ";;;/" }, body: (json) => json },
];
const truncatedMultipart =
  '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG';

export function formWith(name: string, value: string | Blob, filename?: string): FormData {
  const form = new FormData();
  if (typeof value === "string") form.set(name, value);
  else form.set(name, value, filename);
  return form;
}

/** A query with one parameter set to a new value (the others kept). */
export function withQuery(query: string, name: string, value: string): string {
  const kept = query
    .replace(/^\?/, "")
    .split("&")
    .filter((pair) => pair && !pair.startsWith(`${name}=`));
  return `?${[...kept, `${name}=${value}`].join("&")}`;
}

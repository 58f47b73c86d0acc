import { readFileSync } from "node:fs";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assets, holds, jobs, ledgerEntries } from "@/server/db/schema";
import { newBuyer, startBillingWorld, type BillingWorld } from "../support/billing";
import { jsonBody, uploadBody, type TestUser } from "../support/client";
import { waitForJob } from "../support/jobs";
import {
  absentId,
  badIds,
  badQueryValues,
  bodyMutants,
  craftedCursors,
  malformedJsonTexts,
  skeleton,
  toJsonText,
  type JsonSchema,
} from "../support/malformed";
import {
  codeOf,
  createWalkSender,
  describeAnswer,
  isErrorBody,
  messageOf,
  routeOf,
  type Answer,
} from "../support/walk-answers";
import {
  contentTypeCases,
  formWith,
  imageUrlCases,
  otherSurfaceCases,
  withQuery,
  type WalkRequest,
} from "../support/walk-cases";

// Item 8 of issue 9: walks every operation of /api/v1/openapi.json (and /i/, the Stripe webhook,
// a few auth routes) with malformed bodies, queries, content types, ids and headers. A 5xx is our
// bug; every 4xx must be { error: { code, message } }, in German when asked.

type Operation = {
  parameters?: { name: string; in: "path" | "query" | "header"; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
};
type OpenApi = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};

const png = readFileSync("tests/fixtures/images/chelsea.png");
describe("the OpenAPI walk: malformed input is a 4xx { error }, never a 5xx", () => {
  let world: BillingWorld;
  let base: string;
  let user: TestUser;
  let admin: TestUser;
  let doc: OpenApi;
  const good: Record<string, string> = {};
  let generators: { id: string; inputSchema: JsonSchema }[];

  beforeAll(async () => {
    // The walk is about input, not request rates: the per-account limits must not answer for it.
    world = await startBillingWorld({
      runWorker: true,
      env: { API_RATE_LIMIT_PER_MINUTE: "1000000", UPLOAD_CONCURRENCY_PER_ACCOUNT: "64" },
    });
    base = world.server.baseUrl;
    admin = (await newBuyer(world)).user; // the first account is the admin
    user = (await newBuyer(world)).user;
    const upload = await user.json<{ asset: { id: string; url: string } }>(
      "/api/v1/assets",
      uploadBody(png, "chelsea.png", "image/png"),
    );
    expect(upload.status).toBe(201);
    good.asset = upload.body.asset.id;
    good.assetUrl = upload.body.asset.url;
    const submitted = await user.json<{ job: { id: string } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image: good.asset, width: 32 } }),
    );
    expect(submitted.status).toBe(202);
    good.job = submitted.body.job.id;
    expect((await waitForJob(user, good.job)).status).toBe("succeeded");
    good.ledger = (await user.json<{ entries: { id: string }[] }>("/api/v1/ledger")).body.entries[0]!.id;
    good.provider = "openai"; // not configured here: its connection test answers at once
    doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
    generators = (await user.json<{ generators: { id: string; inputSchema: JsonSchema }[] }>("/api/v1/generators")).body
      .generators;
  });
  afterAll(() => world?.close());
  const { send, sendAll } = createWalkSender(
    () => base,
    (as) => (as === "anon" ? undefined : (as === "admin" ? admin : user).cookie),
  );

  /** The id that exists for a path's {id}: the walk varies one thing at a time around real rows. */
  function goodId(path: string): string {
    if (path.startsWith("/assets/")) return good.asset!;
    if (path.startsWith("/jobs/")) return good.job!;
    if (path.startsWith("/ledger/")) return good.ledger!;
    if (path.startsWith("/admin/providers/")) return good.provider!;
    throw new Error(`the walk has no existing id for ${path}: add one to goodId`);
  }

  function requestsOf(path: string, method: string, op: Operation): WalkRequest[] {
    const as = path.startsWith("/admin/") ? "admin" : "user";
    const params = op.parameters ?? [];
    const fill = (id: string) => `/api/v1${path.replace(/\{[^}]+\}/g, id)}`;
    const goodQuery = goodQueryOf(path, params);
    const jsonSchema = op.requestBody?.content["application/json"]?.schema;
    const skeletonText = jsonSchema ? toJsonText(skeleton(jsonSchema, doc.components.schemas)) : "";
    const withBody = (text: string | undefined) =>
      text === undefined || method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: text };
    const out: WalkRequest[] = [];
    const name = `${method} ${path}`;

    if (params.some((p) => p.in === "path")) {
      for (const id of badIds)
        out.push({
          label: `${name} id=${id.slice(0, 40)}`,
          method,
          path: fill(id) + goodQuery,
          as,
          ...withBody(skeletonText || undefined),
        });
    }
    for (const param of params.filter((p) => p.in === "query")) {
      const values = param.name === "cursor" ? [...craftedCursors(), ...badQueryValues] : badQueryValues;
      for (const value of values) {
        out.push({
          label: `${name} ?${param.name}=${value.slice(0, 40)}`,
          method,
          path: fill(goodId0(path)) + withQuery(goodQuery, param.name, value),
          as,
          ...withBody(skeletonText || undefined),
        });
      }
      out.push({
        label: `${name} ?${param.name} twice`,
        method,
        path: `${fill(goodId0(path))}${goodQuery || "?"}&${param.name}=1&${param.name}=2`,
        as,
      });
    }
    for (const param of params.filter((p) => p.in === "header")) {
      for (const value of ["", "x".repeat(201), "%ZZ"])
        out.push({
          label: `${name} ${param.name}: ${value.slice(0, 20)}`,
          method,
          path: fill(goodId0(path)) + goodQuery,
          as,
          headers: { [param.name]: value },
          ...withBody("{}"),
        });
    }
    if (method !== "GET") {
      const target = fill(goodId0(path)) + goodQuery;
      if (jsonSchema) {
        for (const mutant of bodyMutants(jsonSchema, doc.components.schemas))
          out.push({ label: `${name} body ${mutant.label}`, method, path: target, as, ...withBody(mutant.text) });
        if (path === "/jobs") out.push(...jobInputMutants(target));
      }
      for (const malformed of malformedJsonTexts)
        out.push({
          label: `${name} json ${malformed.label}`,
          method,
          path: target,
          as,
          headers: { "content-type": "application/json" },
          body: malformed.text,
        });
      for (const type of contentTypeCases)
        out.push({
          label: `${name} as ${type.label}`,
          method,
          path: target,
          as,
          headers: type.headers,
          body: type.body(skeletonText || "{}"),
        });
      out.push({
        label: `${name} anonymous, malformed`,
        method,
        path: target,
        as: "anon",
        headers: { "content-type": "application/json" },
        body: "{",
      });
    }
    out.push({ label: `${name} anonymous`, method, path: fill(goodId0(path)) + goodQuery, as: "anon" });
    out.push({
      label: `${name} broken locale cookie`,
      method,
      path: fill(goodId0(path)) + goodQuery,
      as,
      headers: { cookie: "NEXT_LOCALE=%ZZ" },
    });
    out.push({
      label: `${name} odd Accept-Language`,
      method,
      path: fill(goodId0(path)) + goodQuery,
      as,
      headers: { "accept-language": "de;q=NaN, *;q=-1, ;;;" },
    });
    return out;
  }

  const goodId0 = (path: string) => (path.includes("{") ? goodId(path) : "");

  /** Required query parameters filled with working values (the asset file route: a real signature). */
  function goodQueryOf(path: string, params: NonNullable<Operation["parameters"]>): string {
    if (path === "/assets/{id}/file") return new URL(good.assetUrl!, base).search;
    const required = params.filter((p) => p.in === "query" && p.required);
    return required.length ? `?${required.map((p) => `${p.name}=1`).join("&")}` : "";
  }

  /** Each generator's inputs with one wrong field; asset fields name nothing, so no work can start. */
  function jobInputMutants(target: string): WalkRequest[] {
    return generators.flatMap((generator) =>
      // Four wrong values per field (edges and wrong types, mixed) keep the walk short. No extra keys: a strict
      // schema refuses them, a loose one would make the inputs valid and start work.
      bodyMutants(generator.inputSchema, {}, { perField: 4, extraKeys: false }).map((mutant) => ({
        label: `POST /jobs ${generator.id} inputs ${mutant.label}`,
        method: "POST",
        path: target,
        as: "user" as const,
        headers: { "content-type": "application/json", "idempotency-key": `walk-${Math.random()}` },
        body: `{"generator":${JSON.stringify(generator.id)},"inputs":${mutant.text}}`,
      })),
    );
  }

  it("answers every malformed request with a 4xx { error } and changes nothing", { timeout: 180_000 }, async () => {
    const requests: WalkRequest[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) requests.push(...requestsOf(path, method.toUpperCase(), op));
    }
    requests.push(...uploadCases(), ...imageUrlCases(good.asset!, absentId), ...otherSurfaceCases());
    const before = await rowCounts();

    const started = Date.now();
    const answers = await sendAll(requests);
    const serverErrors = answers.filter((a) => a.status >= 500).map(describeAnswer);
    console.info(
      `openapi walk: ${answers.length} requests in ${Date.now() - started} ms, ${serverErrors.length} answered 5xx`,
    );
    // Soft: one run reports every kind of failure, not just the first.
    expect.soft(serverErrors, `5xx answers:\n${serverErrors.join("\n")}`).toEqual([]);
    // A 429 would hide what the route does with the input.
    expect.soft(answers.filter((a) => a.status === 429).map(describeAnswer)).toEqual([]);

    const badShapes = answers
      .filter((a) => a.status >= 400 && !a.request.ownErrorShape && !isErrorBody(a))
      .map(describeAnswer);
    expect
      .soft(badShapes, `4xx answers that are not { error: { code, message } }:\n${badShapes.join("\n")}`)
      .toEqual([]);
    expect.soft(await rowCounts(), "malformed requests changed rows").toEqual(before);

    // German: one request per error code and route, asked again in German.
    const samples = new Map<string, Answer>();
    for (const a of answers) {
      if (a.status < 400 || a.request.ownErrorShape || !isErrorBody(a)) continue;
      const key = `${codeOf(a)} ${routeOf(a.request)}`;
      if (!samples.has(key)) samples.set(key, a);
    }
    expect(samples.size).toBeGreaterThan(40);
    const notGerman: string[] = [];
    for (const english of samples.values()) {
      const german = await send(english.request, "de");
      const same = german.status === english.status && isErrorBody(german) && codeOf(german) === codeOf(english);
      if (!same || messageOf(german) === messageOf(english))
        notGerman.push(`${describeAnswer(english)}\n  in German: ${describeAnswer(german)}`);
    }
    expect.soft(notGerman, `answers not in German (of ${samples.size} asked):\n${notGerman.join("\n")}`).toEqual([]);
  });

  it("answers the issue's examples with the 4xx they deserve, in English and German", async () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    const cases: { request: WalkRequest; status: number; codes: string[] }[] = [
      {
        request: {
          label: "year 275760 cursor",
          method: "GET",
          path: `/api/v1/assets?cursor=${b64(`+275760-09-13T00:00:00.000Z|${absentId}`)}`,
          as: "user",
        },
        status: 400,
        codes: ["validation_failed"],
      },
      {
        request: {
          label: "non-uuid cursor",
          method: "GET",
          path: `/api/v1/ledger?cursor=${b64("2024-01-01T00:00:00.000Z|not-a-uuid")}`,
          as: "user",
        },
        status: 400,
        codes: ["validation_failed"],
      },
      {
        request: {
          label: "year 0 cursor",
          method: "GET",
          path: `/api/v1/admin/jobs?cursor=${b64(`0000-01-01T00:00:00.000Z|${absentId}`)}`,
          as: "admin",
        },
        status: 400,
        codes: ["validation_failed"],
      },
      {
        request: {
          label: "POST /jobs as text/plain",
          method: "POST",
          path: "/api/v1/jobs",
          as: "user",
          headers: { "content-type": "text/plain" },
          body: '{"generator":"resize"}',
        },
        status: 415,
        codes: ["unsupported_media_type"],
      },
      {
        request: {
          label: "POST /jobs, no content type",
          method: "POST",
          path: "/api/v1/jobs",
          as: "user",
          body: new TextEncoder().encode("{}"),
        },
        status: 415,
        codes: ["unsupported_media_type"],
      },
      {
        request: {
          label: "POST /assets as text/plain",
          method: "POST",
          path: "/api/v1/assets",
          as: "user",
          headers: { "content-type": "text/plain" },
          body: "x",
        },
        status: 415,
        codes: ["unsupported_media_type", "multipart_required"],
      },
      {
        request: {
          label: "POST /assets as JSON",
          method: "POST",
          path: "/api/v1/assets",
          as: "user",
          headers: { "content-type": "application/json" },
          body: "{}",
        },
        status: 415,
        codes: ["unsupported_media_type", "multipart_required"],
      },
      {
        request: { label: "/i/ tr:w-%ZZ", method: "GET", path: `/i/${good.asset}/tr:w-%ZZ`, as: "user" },
        status: 400,
        codes: ["invalid_transformation"],
      },
      {
        request: {
          label: "/i/ tr:w-10,e-edit-prompt-%E0%A4%A",
          method: "GET",
          path: `/i/${good.asset}/tr:w-10,e-edit-prompt-%E0%A4%A`,
          as: "user",
        },
        status: 400,
        codes: ["invalid_transformation"],
      },
      {
        request: {
          label: "smart-crop with a malformed aspect",
          method: "POST",
          path: "/api/v1/jobs",
          as: "user",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            generator: "smart-crop",
            inputs: { image: good.asset, aspect: "wide", width: 10, height: 10 },
          }),
        },
        status: 400,
        codes: ["validation_failed"],
      },
    ];
    for (const { request, status, codes } of cases) {
      const english = await send(request);
      expect(english.status, describeAnswer(english)).toBe(status);
      expect(codes, describeAnswer(english)).toContain(codeOf(english));
      const german = await send(request, "de");
      expect(german.status).toBe(status);
      expect(messageOf(german), request.label).not.toBe(messageOf(english));
    }
    // A broken escape in the language cookie is no reason to fail the request.
    const withBrokenCookie = await send({
      label: "me",
      method: "GET",
      path: "/api/v1/me",
      as: "user",
      headers: { cookie: "NEXT_LOCALE=%ZZ" },
    });
    expect(withBrokenCookie.status).toBe(200);
  });

  /** POST /assets beyond the generic cases: multipart bodies that are wrong inside. */
  function uploadCases(): WalkRequest[] {
    const post = (label: string, body: WalkRequest["body"], headers: Record<string, string> = {}): WalkRequest => ({
      label: `POST /assets ${label}`,
      method: "POST",
      path: "/api/v1/assets",
      as: "user",
      headers,
      body,
    });
    return [
      post("no file field", formWith("other", "x")),
      post("file as a string field", formWith("file", "not a file")),
      post("empty file", formWith("file", new Blob([]), "empty.png")),
      post("garbage file", formWith("file", new Blob([new Uint8Array(4096).fill(7)]), "garbage.png")),
      post("truncated png", formWith("file", new Blob([png.subarray(0, 200)], { type: "image/png" }), "cut.png")),
      post(
        "svg",
        formWith("file", new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: "image/svg+xml" }), "a.svg"),
      ),
      post("name with broken escapes", formWith("file", new Blob([png.subarray(0, 100)]), "%ZZ/../../a.png")),
      post(
        "boundary mismatch",
        '--aa\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nx\r\n--aa--',
        { "content-type": "multipart/form-data; boundary=bb" },
      ),
    ];
  }

  async function rowCounts() {
    const db = world.server.rt.db;
    const n = async (table: typeof jobs | typeof assets | typeof ledgerEntries | typeof holds) =>
      (await db.select({ n: count() }).from(table))[0]!.n;
    return {
      jobs: await n(jobs),
      assets: await n(assets),
      ledgerEntries: await n(ledgerEntries),
      holds: await n(holds),
    };
  }
});

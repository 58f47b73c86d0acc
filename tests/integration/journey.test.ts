import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLedgerTotals } from "@/features/credits/server/ledger";
import { systemCtx } from "@/server/context";
import { signUpAndIn, jsonBody, uploadBody, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";
import { waitForJob } from "../support/jobs";

describe("a new user's journey over HTTP", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    user = await signUpAndIn(server.baseUrl);
  });
  afterAll(() => server?.close());

  it("starts with 50 credits and a signup bonus entry", async () => {
    const me = await user.json<{ account: { balance: number; held: number } }>("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.body.account).toMatchObject({ balance: 50, held: 0 });
    const ledger = await user.json<{ entries: { kind: string; amount: number }[] }>("/api/v1/ledger");
    expect(ledger.body.entries).toEqual([expect.objectContaining({ kind: "signup_bonus", amount: 50 })]);
  });

  it("uploads, runs resize for 1 credit, downloads the result and sees the charge", async () => {
    const png = readFileSync("tests/fixtures/images/chelsea.png");
    const upload = await user.json<{ asset: { id: string; width: number; mime: string } }>(
      "/api/v1/assets",
      uploadBody(png, "chelsea.png", "image/png"),
    );
    expect(upload.status).toBe(201);
    expect(upload.body.asset).toMatchObject({ mime: "image/png", width: 451 });

    const submitted = await user.json<{ job: { id: string; status: string; price: number } }>(
      "/api/v1/jobs",
      jsonBody({ generator: "resize", inputs: { image: upload.body.asset.id, width: 200, format: "webp" } }),
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body.job).toMatchObject({ status: "queued", price: 1 });

    const job = await waitForJob(user, submitted.body.job.id);
    expect(job.status).toBe("succeeded");
    expect(job.outputs).toHaveLength(1);
    const download = await fetch(server.baseUrl + job.outputs[0]!.url + "&download=1");
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.webp"/);
    const meta = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 200 });

    const ledger = await user.json<{
      entries: { kind: string; amount: number }[];
      account: { balance: number; held: number };
    }>("/api/v1/ledger");
    expect(ledger.body.entries.map((e) => [e.kind, e.amount])).toEqual([
      ["capture", 0],
      ["hold", -1],
      ["signup_bonus", 50],
    ]);
    expect(ledger.body.account).toMatchObject({ balance: 49, held: 0 });
    const me = await user.json<{ account: { id: string } }>("/api/v1/me");
    const totals = await readLedgerTotals({
      ctx: systemCtx(server.rt.services, "test"),
      input: { accountId: me.body.account.id },
    });
    expect(totals).toEqual({ balance: 49, held: 0, entriesSum: 49 });
  });

  it("pages the statement with a stable cursor", async () => {
    type Page = { entries: { id: string }[]; nextCursor: string | null };
    const all = await user.json<Page>("/api/v1/ledger?limit=100");
    const first = await user.json<Page>("/api/v1/ledger?limit=2");
    expect(first.body.entries).toHaveLength(2);
    const second = await user.json<Page>(`/api/v1/ledger?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.entries, ...second.body.entries].map((e) => e.id)).toEqual(all.body.entries.map((e) => e.id));
    const bad = await user.json<{ error: { code: string } }>("/api/v1/ledger?cursor=garbage");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
  });

  it("serves the OpenAPI document and the generator list", async () => {
    const doc = await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/jobs", "/jobs/{id}", "/assets", "/ledger", "/me"]),
    );
    const generators = await (
      await fetch(`${server.baseUrl}/api/v1/generators`, { headers: { "accept-language": "de" } })
    ).json();
    expect(generators.generators).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "resize",
          title: "Skalieren",
          price: 1,
          inputSchema: expect.objectContaining({ type: "object" }),
        }),
      ]),
    );
  });
});

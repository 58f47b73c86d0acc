import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatorPrice } from "@/catalog/generators";
import { promptedBackgroundPrice } from "@/catalog/generators/background";
import { fakeOpenAIKey, startOpenAIFake, type OpenAIFake } from "../fakes/openai";
import { accountIdOf, moneyState } from "../support/accounts";
import { signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { pollUntilReady } from "../support/poll";
import { startTestServer, type TestServer } from "../support/server";

describe("generative steps in /i/ URLs run at the configured provider, charged once", () => {
  let openai: OpenAIFake;
  let server: TestServer;
  let user: TestUser;
  let asset: { id: string };

  beforeAll(async () => {
    openai = await startOpenAIFake();
    server = await startTestServer({
      env: { OPENAI_API_KEY: fakeOpenAIKey, OPENAI_BASE_URL: openai.baseUrl, PROVIDER_RETRY_DELAY_MS: "10" },
    });
    user = await signUpAndIn(server.baseUrl);
    const upload = await user.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync("tests/fixtures/images/chelsea.png"), "cat.png"),
    );
    asset = upload.body.asset;
  });
  afterAll(async () => {
    await server?.close();
    await openai?.close();
  });

  it("e-edit-prompt runs the edit generator with the URL's prompt", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    const path = `/i/${asset.id}/tr:e-edit-prompt-add%20a%20red%20hat`;
    const ready = await pollUntilReady(() => user.request(path));
    expect(ready.headers.get("content-type")).toMatch(/^image\//);
    expect((await user.request(path)).status).toBe(200);

    const [edit] = (await openai.imageRequests()).filter((r) => r.endpoint === "edits");
    expect(edit?.prompt).toContain("add a red hat");
    const after = await moneyState(server.rt.db, accountId);
    const newJobs = after.jobs.filter((job) => !before.jobs.some((old) => old.id === job.id));
    expect(newJobs.map((job) => [job.generator, job.status, job.provider])).toEqual([["edit", "succeeded", "openai"]]);
    expect(after.balance).toBe(before.balance - generatorPrice("edit"));
  });

  it("e-changebg-prompt paints a new background and is priced as the AI background", async () => {
    const accountId = await accountIdOf(user);
    const before = await moneyState(server.rt.db, accountId);
    await pollUntilReady(() => user.request(`/i/${asset.id}/tr:e-changebg-prompt-a%20snowy%20street`));
    const after = await moneyState(server.rt.db, accountId);
    const job = after.jobs.find((j) => !before.jobs.some((old) => old.id === j.id))!;
    expect(job).toMatchObject({
      generator: "change-background",
      status: "succeeded",
      provider: "openai",
      inputs: { prompt: "a snowy street" },
    });
    expect(after.balance).toBe(before.balance - promptedBackgroundPrice);
  });

  it("bg-genfill with cm-pad_resize grows the canvas to the asked shape and serves it at that size", async () => {
    const ready = await pollUntilReady(() => user.request(`/i/${asset.id}/tr:bg-genfill,w-600,h-300,cm-pad_resize`));
    const meta = await sharp(Buffer.from(await ready.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([600, 300]);
    const [outpaint] = (await openai.imageRequests()).filter((r) => r.endpoint === "edits" && r.mask);
    expect(outpaint?.mask).toBeDefined();
  });
});

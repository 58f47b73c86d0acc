import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

// The vendors cannot be reached from here; what we can check is our side of the OAuth dance:
// providers appear only with keys, and sign-in starts an authorization request with our client id,
// our callback and PKCE/state.
describe("Google and GitHub sign-in", () => {
  let withKeys: TestServer;
  let withoutKeys: TestServer;

  beforeAll(async () => {
    withKeys = await startTestServer({
      runWorker: false,
      env: {
        GOOGLE_CLIENT_ID: "google-client-id",
        GOOGLE_CLIENT_SECRET: "google-secret",
        GITHUB_CLIENT_ID: "github-client-id",
        GITHUB_CLIENT_SECRET: "github-secret",
      },
    });
    withoutKeys = await startTestServer({ runWorker: false });
  });
  afterAll(async () => {
    await withKeys?.close();
    await withoutKeys?.close();
  });

  it("lists only the providers whose keys are set", async () => {
    const listed = async (server: TestServer) =>
      ((await (await fetch(`${server.baseUrl}/api/v1/auth-providers`)).json()) as { providers: string[] }).providers;
    expect((await listed(withKeys)).sort()).toEqual(["github", "google"]);
    expect(await listed(withoutKeys)).toEqual([]);
  });

  it.each([
    ["google", "accounts.google.com", "google-client-id"],
    ["github", "github.com", "github-client-id"],
  ])("starts %s sign-in with our client id, callback and state", async (provider, host, clientId) => {
    const response = await post(withKeys.baseUrl, "/api/auth/sign-in/social", { provider, callbackURL: "/dashboard" });
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    const authorize = new URL(url);
    expect(authorize.host).toBe(host);
    expect(authorize.searchParams.get("client_id")).toBe(clientId);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${withKeys.baseUrl}/api/auth/callback/${provider}`);
    expect(authorize.searchParams.get("state")).toBeTruthy();
  });

  it("refuses a provider that is not configured", async () => {
    const response = await post(withoutKeys.baseUrl, "/api/auth/sign-in/social", {
      provider: "github",
      callbackURL: "/dashboard",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

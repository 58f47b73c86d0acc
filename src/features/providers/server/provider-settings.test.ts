import { describe, expect, it } from "vitest";
import type { ProviderAdapter, ProviderSetting } from "@/engine/providers/types";
import { isUrlSetting, scrubSecrets, secretHint, settingView } from "./provider-settings";

const adapter: ProviderAdapter = {
  id: "vendor",
  name: "Vendor",
  settings: [
    { name: "apiKey", env: "VENDOR_API_KEY", kind: "secret", required: true },
    { name: "baseUrl", env: "VENDOR_BASE_URL", kind: "url", required: false },
  ],
  models: [],
  create: () => ({ id: "vendor", capabilities: {} }),
  testConnection: async () => undefined,
};

describe("secret hints", () => {
  it("shows the last 4 characters of a long secret and nothing of a short one", () => {
    expect(secretHint("sk-proj-0123456789abcd")).toBe("••••abcd");
    // With 11 characters the last 4 would give away too much of the key.
    expect(secretHint("short-key-1")).toBe("••••");
    expect(secretHint("abc")).toBe("••••");
  });
});

describe("URL settings", () => {
  it("are recognised by the setting's name or its environment variable", () => {
    expect(isUrlSetting({ name: "baseUrl", env: "OPENAI_BASE_URL", kind: "string", required: false })).toBe(true);
    expect(isUrlSetting({ name: "url", env: "COMFYUI_URL", kind: "string", required: true })).toBe(true);
    expect(isUrlSetting({ name: "endpoint", env: "WEBHOOK_PROVIDER_URL", kind: "string", required: true })).toBe(true);
    expect(isUrlSetting({ name: "apiKey", env: "OPENAI_API_KEY", kind: "secret", required: true })).toBe(false);
  });
});

describe("scrubbing a vendor's error message", () => {
  it("cuts out every occurrence of the configured secrets but keeps other values", () => {
    const message =
      "401 Incorrect API key provided: sk-live-SECRET-1234 (sent sk-live-SECRET-1234 to https://proxy.example)";
    const scrubbed = scrubSecrets(message, adapter, {
      apiKey: "sk-live-SECRET-1234",
      baseUrl: "https://proxy.example",
    });
    expect(scrubbed).not.toContain("sk-live-SECRET-1234");
    expect(scrubbed).toBe("401 Incorrect API key provided: •••• (sent •••• to https://proxy.example)");
  });

  it("caps the length", () => {
    expect(scrubSecrets("x".repeat(2000), adapter, {})).toHaveLength(500);
  });
});

describe("a setting as admins see it", () => {
  const [apiKey, baseUrl] = adapter.settings as [ProviderSetting, ProviderSetting];

  it("prefers the admin's value over the environment's and hides secrets", () => {
    expect(settingView(apiKey, "sk-env-0123456789-AAAA", "sk-admin-0123456789-BBBB")).toMatchObject({
      source: "admin",
      value: "••••BBBB",
    });
    expect(settingView(apiKey, "sk-env-0123456789-AAAA", undefined)).toMatchObject({
      source: "env",
      value: "••••AAAA",
    });
    expect(settingView(apiKey, undefined, undefined)).toMatchObject({ source: "unset", value: null });
  });

  it("shows addresses in full, except a password inside them", () => {
    expect(settingView(baseUrl, "https://proxy.example/v1", undefined).value).toBe("https://proxy.example/v1");
    expect(settingView(baseUrl, undefined, "https://ops:hunter2@proxy.example/v1").value).toBe(
      "https://ops:••••@proxy.example/v1",
    );
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listAdapters, providerVariables } from "@/engine/providers/registry";
import { ConfigError, parseEnv } from "@/server/env";
import { configOf } from "./load-directory";

// A vendor's settings are declared once, on its adapter; env.ts checks them from that declaration.
// A setting that the environment cannot set (dropped by the parser, or read under another name)
// fails here.
const settings = listAdapters().flatMap((adapter) => adapter.settings.map((setting) => ({ adapter, setting })));
const base = () => ({
  DATA_DIR: mkdtempSync(path.join(tmpdir(), "pixelwerk-provider-env-")),
  APP_SECRET: "x".repeat(32),
});

describe("provider settings from the environment", () => {
  it("exist for every adapter that talks to a vendor or server", () => {
    expect(settings.map(({ setting }) => setting.env)).toEqual(
      expect.arrayContaining([
        "OPENAI_API_KEY",
        "GOOGLE_GENERATIVE_AI_API_KEY",
        "REPLICATE_API_TOKEN",
        "FAL_KEY",
        "COMFYUI_URL",
        "WEBHOOK_PROVIDER_URL",
      ]),
    );
  });

  it.each(
    settings.map(({ adapter, setting }) => [`${adapter.id}.${setting.name}`, setting.env, adapter, setting] as const),
  )("%s is set by %s", (_label, variable, adapter, setting) => {
    const value = setting.kind === "url" ? "https://vendor.example/v1" : `value-of-${variable}`;
    const env = parseEnv({ ...base(), [variable]: value }, providerVariables());
    expect(configOf(env, adapter, undefined)[setting.name]).toBe(value);
  });

  it("stops the start when a url setting is not a URL, naming the variable", () => {
    const url = settings.find(({ setting }) => setting.kind === "url")!.setting.env;
    expect(() => parseEnv({ ...base(), [url]: "not a url" }, providerVariables())).toThrow(ConfigError);
    expect(() => parseEnv({ ...base(), [url]: "not a url" }, providerVariables())).toThrow(new RegExp(url));
  });
});

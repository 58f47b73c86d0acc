import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

describe("parseEnv", () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), "pixelwerk-env-"));

  it("runs with no configuration: embedded mode, port 3000, worker in the web process", () => {
    const env = parseEnv({ DATA_DIR: dataDir() });
    expect(env).toMatchObject({
      mode: "embedded",
      PORT: 3000,
      APP_URL: "http://localhost:3000",
      RUN_WORKER_IN_WEB: true,
    });
    expect(env.UPLOAD_MAX_BYTES).toBe(25 * 1024 * 1024);
  });

  it("generates APP_SECRET once and keeps it in the data folder", () => {
    const dir = dataDir();
    const first = parseEnv({ DATA_DIR: dir }).APP_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ DATA_DIR: dir }).APP_SECRET).toBe(first);
    expect(readFileSync(path.join(dir, "secret"), "utf8").trim()).toBe(first);
  });

  it("switches to production mode with DATABASE_URL; the worker runs apart unless asked", () => {
    const env = parseEnv({ DATA_DIR: dataDir(), DATABASE_URL: "postgres://u@h/db", APP_SECRET: "x".repeat(32) });
    expect(env).toMatchObject({ mode: "production", RUN_WORKER_IN_WEB: false });
  });

  it("stops with a message naming each bad variable", () => {
    expect(() => parseEnv({ DATA_DIR: dataDir(), PORT: "eighty", DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    try {
      parseEnv({ DATA_DIR: dataDir(), PORT: "eighty", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL/);
    }
    expect(() => parseEnv({ DATA_DIR: dataDir(), S3_BUCKET: "bucket" })).toThrow(/S3_ACCESS_KEY_ID/);
    expect(() => parseEnv({ DATA_DIR: dataDir(), APP_SECRET: "short" })).toThrow(/APP_SECRET/);
  });

  it("reads variables declared elsewhere (providers' settings) by their kind, and only those", () => {
    const declared = [
      { env: "VENDOR_API_KEY", kind: "secret" },
      { env: "VENDOR_BASE_URL", kind: "url" },
    ] as const;
    const env = parseEnv(
      { DATA_DIR: dataDir(), VENDOR_API_KEY: "sk-1", VENDOR_BASE_URL: "https://v.example", OTHER: "x" },
      declared,
    );
    expect(env.declared).toEqual({ VENDOR_API_KEY: "sk-1", VENDOR_BASE_URL: "https://v.example" });
    expect(parseEnv({ DATA_DIR: dataDir(), VENDOR_API_KEY: "sk-1" }).declared).toEqual({});
    expect(() => parseEnv({ DATA_DIR: dataDir(), VENDOR_BASE_URL: "nope" }, declared)).toThrow(/VENDOR_BASE_URL/);
    expect(() => parseEnv({ DATA_DIR: dataDir() }, [{ env: "DATABASE_URL", kind: "url" }])).toThrow(/declared twice/);
  });

  it("lets a browser in at every address npm start announces, or only at APP_URL when it is set", () => {
    const local = parseEnv({ DATA_DIR: dataDir(), PORT: "3100" }).publicOrigins;
    expect(local).toEqual(
      expect.arrayContaining(["http://localhost:3100", "http://127.0.0.1:3100", "http://[::1]:3100"]),
    );
    const set = parseEnv({ DATA_DIR: dataDir(), APP_URL: "https://images.example.com/" }).publicOrigins;
    expect(set).toEqual(["https://images.example.com"]);
  });
});

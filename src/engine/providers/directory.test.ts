import { describe, expect, it } from "vitest";
import { createDirectory, type DirectoryEntry } from "./directory";
import type { Capability } from "./capabilities";
import type { ProviderAdapter } from "./types";

// Adapters as data: the directory only reads their settings, offers and capabilities.
function adapter(
  id: string,
  offers: { family: string; capabilities: Capability[] }[],
  capabilities?: Capability[],
): ProviderAdapter {
  return {
    id,
    name: id,
    settings: [
      { name: "apiKey", env: `${id.toUpperCase()}_KEY`, kind: "secret", required: true },
      { name: "baseUrl", env: `${id.toUpperCase()}_BASE_URL`, kind: "url", required: false },
    ],
    models: offers.map((o) => ({
      id: `${id}/${o.family}`,
      family: o.family,
      capabilities: o.capabilities,
      costMicros: 1000,
      unit: "image" as const,
    })),
    capabilities,
    create: () => ({ id, capabilities: {} }),
    testConnection: async () => undefined,
  };
}

const alpha = adapter("alpha", [
  { family: "fast", capabilities: ["text-to-image"] },
  { family: "edit", capabilities: ["edit-by-prompt"] },
]);
const beta = adapter("beta", [
  { family: "fast", capabilities: ["text-to-image"] },
  { family: "best", capabilities: ["text-to-image"] },
]);
const hook = adapter("hook", [], ["text-to-image", "edit-by-prompt"]);
const entry = (a: ProviderAdapter, key: string | undefined, enabled = true): DirectoryEntry => ({
  adapter: a,
  config: { apiKey: key },
  enabled,
});

describe("the provider directory", () => {
  it("lists configured, enabled providers in the adapters' order by default", () => {
    const directory = createDirectory([entry(alpha, "k"), entry(beta, "k"), entry(hook, "k")]);
    expect(directory.candidates("text-to-image").map((c) => c.providerId)).toEqual(["alpha", "beta", "hook"]);
  });

  it("puts the generator's preference first, then the admin's order, then the rest", () => {
    const directory = createDirectory([entry(alpha, "k"), entry(beta, "k"), entry(hook, "k")], {
      "text-to-image": ["hook"],
    });
    expect(directory.candidates("text-to-image").map((c) => c.providerId)).toEqual(["hook", "alpha", "beta"]);
    expect(directory.candidates("text-to-image", { prefer: ["beta"] }).map((c) => c.providerId)).toEqual([
      "beta",
      "hook",
      "alpha",
    ]);
  });

  it("skips providers without their required key and providers an admin switched off", () => {
    const directory = createDirectory([entry(alpha, undefined), entry(beta, "k", false), entry(hook, "k")]);
    expect(directory.candidates("text-to-image").map((c) => c.providerId)).toEqual(["hook"]);
  });

  it("with a model family, keeps only providers offering it (and generic ones), with the vendor's model id", () => {
    const directory = createDirectory([entry(alpha, "k"), entry(beta, "k"), entry(hook, "k")]);
    const best = directory.candidates("text-to-image", { family: "best" });
    expect(best.map((c) => [c.providerId, c.offer?.id])).toEqual([
      ["beta", "beta/best"],
      ["hook", undefined],
    ]);
  });

  it("names the keys that would enable a capability, for the model asked for", () => {
    const directory = createDirectory([entry(alpha, undefined), entry(beta, undefined)]);
    expect(directory.candidates("text-to-image")).toEqual([]);
    expect(directory.requirements("text-to-image")).toEqual(["ALPHA_KEY", "BETA_KEY"]);
    expect(directory.requirements("text-to-image", "best")).toEqual(["BETA_KEY"]);
    expect(directory.requirements("edit-by-prompt")).toEqual(["ALPHA_KEY"]);
  });

  it("marks vendors as remote and in-process tools as not", () => {
    const local: ProviderAdapter = { ...hook, id: "local", settings: [] };
    const directory = createDirectory([entry(alpha, "k"), { adapter: local, config: {}, enabled: true }]);
    expect(directory.candidates("text-to-image").map((c) => [c.providerId, c.remote])).toEqual([
      ["alpha", true],
      ["local", false],
    ]);
  });
});

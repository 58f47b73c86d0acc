import { describe, expect, it } from "vitest";
import de from "../messages/de.json";
import en from "../messages/en.json";
import { negotiateLocale, resolveLocale } from "./locale";

/** Flattens nested messages into dotted keys: { a: { b: "x" } } -> ["a.b"]. */
function keysOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

/** ICU arguments used in a message: "{price} of {balance}" -> ["balance", "price"]. */
function argumentsOf(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1] ?? ""))].sort();
}

function valueAt(messages: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
}

describe("messages", () => {
  it("en and de have exactly the same keys", () => {
    expect(keysOf(de).sort()).toEqual(keysOf(en).sort());
  });

  it("every message is a non-empty string using the same arguments in both languages", () => {
    for (const key of keysOf(en)) {
      const english = valueAt(en, key);
      const german = valueAt(de, key);
      expect(typeof english, key).toBe("string");
      expect(typeof german, key).toBe("string");
      expect((german as string).trim().length, key).toBeGreaterThan(0);
      expect(argumentsOf(german as string), key).toEqual(argumentsOf(english as string));
    }
  });
});

describe("locale negotiation", () => {
  it("prefers the cookie, then Accept-Language by quality, then English", () => {
    expect(resolveLocale("de", "en-US,en;q=0.9")).toBe("de");
    expect(resolveLocale("fr", "de-CH,de;q=0.9,en;q=0.8")).toBe("de");
    expect(negotiateLocale("fr-FR,en;q=0.5,de;q=0.7")).toBe("de");
    expect(negotiateLocale("fr-FR")).toBe("en");
    expect(negotiateLocale("de;q=0")).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
  });
});

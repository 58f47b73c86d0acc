import { describe, expect, it } from "vitest";
import { derivedKey, stepHash } from "./derived-key";
import { encodeImagePath, expiryFor, signImageUrl, verifyImageSignature } from "./image-url";
import { chooseFormat } from "./negotiate-format";
import { parseTransformation } from "./parse-transformation";

const secret = "s".repeat(32);
const id = "0b5c3a1e-7d2f-4c55-9a61-2f1f3c9d8e70";
const query = (url: string) =>
  Object.fromEntries(new URL(url, "http://x").searchParams) as { expires: string; signature: string };

describe("signed image URLs", () => {
  it("cover the asset, the canonical transformation and the expiry", () => {
    const url = signImageUrl({ secret, assetId: id, canonical: "h-300,w-400", expiresAt: 2000 });
    expect(url).toMatch(new RegExp(`^/i/${id}/tr:h-300,w-400\\?expires=2000&signature=[\\w-]+$`));
    expect(verifyImageSignature(secret, id, "h-300,w-400", query(url), 1999)).toBe(true);
    expect(verifyImageSignature(secret, id, "h-300,w-401", query(url), 1999)).toBe(false);
    expect(verifyImageSignature(secret, id, "", query(url), 1999)).toBe(false);
    expect(verifyImageSignature(secret, id.replace("0b", "0c"), "h-300,w-400", query(url), 1999)).toBe(false);
    expect(verifyImageSignature(secret, id, "h-300,w-400", query(url), 2001)).toBe(false);
    expect(verifyImageSignature("t".repeat(32), id, "h-300,w-400", query(url), 1999)).toBe(false);
  });

  it("encode prompts for the URL but sign their decoded text", () => {
    expect(encodeImagePath(id, "e-changebg-prompt-snowy street")).toBe(`/i/${id}/tr:e-changebg-prompt-snowy%20street`);
    expect(encodeImagePath(id, "")).toBe(`/i/${id}`);
    expect(expiryFor(90, 1_000_000)).toBe(1140);
  });
});

describe("cache keys", () => {
  it("differ by asset, transformation, format and purpose, and are valid storage keys", () => {
    const base = { assetId: id, canonical: "w-10", format: "jpg" as const, purpose: "final" as const };
    const keys = new Set(
      [
        base,
        { ...base, canonical: "w-11" },
        { ...base, format: "webp" as const },
        { ...base, purpose: "input" as const },
      ].map((k) => derivedKey(k).key),
    );
    expect(keys.size).toBe(4);
    expect(derivedKey(base).key).toMatch(new RegExp(`^derived/${id}/[0-9a-f]{32}\\.jpg$`));
    expect(stepHash(id, "e-bgremove")).not.toBe(stepHash(id, "w-10:e-bgremove"));
  });
});

describe("chooseFormat", () => {
  const choose = (tr: string, accept?: string, assetMime = "image/jpeg") =>
    chooseFormat({ transformation: parseTransformation(tr), assetMime, accept });

  it("keeps the asset's format by default, PNG after AI steps, and honours f", () => {
    expect(choose("w-10")).toEqual({ format: "jpg", negotiated: false });
    expect(choose("w-10", undefined, "image/webp").format).toBe("webp");
    expect(choose("f-orig", undefined, "image/png").format).toBe("png");
    expect(choose("e-bgremove").format).toBe("png");
    expect(choose("f-avif:w-10").format).toBe("avif");
  });

  it("negotiates f-auto: AVIF, then WebP, else the default; q=0 excludes", () => {
    expect(choose("f-auto", "image/avif,image/webp,*/*")).toEqual({ format: "avif", negotiated: true });
    expect(choose("f-auto", "image/webp;q=0.9, */*;q=0.8").format).toBe("webp");
    expect(choose("f-auto", "image/avif;q=0, image/webp").format).toBe("webp");
    expect(choose("f-auto", "*/*").format).toBe("jpg");
    expect(choose("f-auto", undefined, "image/png").format).toBe("png");
  });
});

import { describe, expect, it } from "vitest";
import { findBlockedTerm } from "./prompt-blocklist";

describe("the prompt blocklist", () => {
  const terms = ["gore", "nude", "brand x"];

  it("finds whole words and phrases, whatever the case", () => {
    expect(findBlockedTerm("a GORE scene", terms)).toBe("gore");
    expect(findBlockedTerm("a poster for Brand   X shoes", terms)).toBe("brand x");
  });

  it("does not match inside other words", () => {
    expect(findBlockedTerm("a gorgeous sunset", terms)).toBeUndefined();
    expect(findBlockedTerm("denuded hills", terms)).toBeUndefined();
  });

  it("sees through full-width look-alike letters", () => {
    expect(findBlockedTerm("ｇｏｒｅ", terms)).toBe("gore");
  });

  it("treats terms as text, not as patterns", () => {
    expect(findBlockedTerm("costs $5 (cheap)", ["$5 (cheap)"])).toBe("$5 (cheap)");
    expect(findBlockedTerm("anything", [".*"])).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { envBlocklistTerms, findBlockedTerm } from "./prompt-blocklist";

describe("the prompt blocklist", () => {
  it("reads PROMPT_BLOCKLIST as comma-separated terms, ignoring blanks", () => {
    expect(envBlocklistTerms({ PROMPT_BLOCKLIST: " gore, ,blood bath ,," })).toEqual(["gore", "blood bath"]);
    expect(envBlocklistTerms({ PROMPT_BLOCKLIST: "" })).toEqual([]);
  });

  it("matches whole words and phrases, ignoring case, spacing and look-alike forms", () => {
    const terms = ["gore", "blood bath"];
    expect(findBlockedTerm("A GORE scene", terms)).toBe("gore");
    expect(findBlockedTerm("ｇｏｒｅ", terms)).toBe("gore");
    expect(findBlockedTerm("a Blood   Bath at noon", terms)).toBe("blood bath");
    expect(findBlockedTerm("a gorgeous sunset", terms)).toBeUndefined();
    expect(findBlockedTerm("bloodbath", terms)).toBeUndefined();
  });

  it("treats terms as text, not as regular expressions", () => {
    expect(findBlockedTerm("price: $5 (approx.)", ["(approx.)"])).toBe("(approx.)");
    expect(findBlockedTerm("anything", [".*"])).toBeUndefined();
  });
});

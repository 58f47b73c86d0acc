import { describe, expect, it } from "vitest";
import { negotiateLocale, translate } from "./i18n";

describe("locale negotiation and server-side messages", () => {
  it("prefers the cookie, then Accept-Language by weight, else English", () => {
    expect(negotiateLocale("de", "en-US")).toBe("de");
    expect(negotiateLocale(undefined, "fr-FR,de;q=0.8,en;q=0.5")).toBe("de");
    expect(negotiateLocale(undefined, "en;q=0.2,de-AT;q=0.9")).toBe("de");
    expect(negotiateLocale("xx", "fr")).toBe("en");
    expect(negotiateLocale(undefined, undefined)).toBe("en");
  });

  it("translates errors with parameters in both languages", () => {
    expect(translate("en", "errors.insufficient_credits", { price: 3, balance: 1 })).toBe(
      "Not enough credits: this costs 3 and you have 1.",
    );
    expect(translate("de", "errors.insufficient_credits", { price: 3, balance: 1 })).toContain("Das kostet 3");
  });
});

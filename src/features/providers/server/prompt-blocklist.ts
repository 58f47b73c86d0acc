import "server-only";
import { eq } from "drizzle-orm";
import type { Ctx } from "@/server/context";
import { appSettings } from "@/server/db/schema";
import type { Env } from "@/server/env";

export const promptBlocklistKey = "prompt_blocklist";

/** The terms of PROMPT_BLOCKLIST (comma-separated); the admin page shows them read-only. */
export function envBlocklistTerms(env: Pick<Env, "PROMPT_BLOCKLIST">): string[] {
  return env.PROMPT_BLOCKLIST.split(",")
    .map((term) => term.trim())
    .filter(Boolean);
}

/** The list kept on the admin page. */
export async function readStoredBlocklist({ ctx }: { ctx: Ctx }): Promise<string[]> {
  const [row] = await ctx.db.select().from(appSettings).where(eq(appSettings.key, promptBlocklistKey));
  return Array.isArray(row?.value) ? (row.value as unknown[]).filter((t): t is string => typeof t === "string") : [];
}

/** The operator's blocked terms: PROMPT_BLOCKLIST plus the list kept on the admin page. */
export async function readPromptBlocklist({ ctx }: { ctx: Ctx }): Promise<string[]> {
  const stored = await readStoredBlocklist({ ctx });
  return [...envBlocklistTerms(ctx.services.env), ...stored.map((term) => term.trim()).filter(Boolean)];
}

function normalize(text: string): string {
  return text.normalize("NFKC").toLocaleLowerCase("en");
}

/**
 * The first blocked term in a text, matched as a whole word or phrase, ignoring case and Unicode
 * look-alike forms (NFKC), so "Gore" and "ｇｏｒｅ" match "gore" but "gorgeous" does not.
 */
export function findBlockedTerm(text: string, terms: string[]): string | undefined {
  const haystack = normalize(text);
  return terms.find((term) => {
    const needle = normalize(term)
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\s+/g, "\\s+");
    return new RegExp(`(?<![\\p{L}\\p{N}])${needle}(?![\\p{L}\\p{N}])`, "u").test(haystack);
  });
}

import "server-only";
import type { Ctx } from "@/server/context";
import { writeAppSetting } from "./app-settings";
import { requireAdmin } from "@/features/auth/server/require-admin";
import { envBlocklistTerms, promptBlocklistKey, readStoredBlocklist } from "./prompt-blocklist";

export type BlocklistView = { terms: string[]; envTerms: string[] };

/** The admin's list, and PROMPT_BLOCKLIST's terms (read-only: they change with the environment). */
export async function getPromptBlocklist({ ctx }: { ctx: Ctx }): Promise<BlocklistView> {
  requireAdmin(ctx);
  return { terms: await readStoredBlocklist({ ctx }), envTerms: envBlocklistTerms(ctx.services.env) };
}

/** Replaces the admin's list: trimmed, blanks dropped, each term once (ignoring case). Applies to the next job. */
export async function setPromptBlocklist({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { terms: string[] };
}): Promise<BlocklistView> {
  requireAdmin(ctx);
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const raw of input.terms) {
    const term = raw.trim().replace(/\s+/g, " ");
    const key = term.normalize("NFKC").toLocaleLowerCase("en");
    if (!term || seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
  }
  await writeAppSetting({ ctx, input: { key: promptBlocklistKey, value: terms } });
  return { terms, envTerms: envBlocklistTerms(ctx.services.env) };
}

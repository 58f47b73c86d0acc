import "server-only";
import { eq } from "drizzle-orm";
import { ensurePersonalAccount } from "@/features/credits/server/accounts";
import { users } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import type { Env } from "@/server/env";

/** The signed-in user's role and account, read fresh so a role change applies at once. */
export async function resolveSessionActor({
  db,
  env,
  userId,
}: {
  db: Db;
  env: Pick<Env, "ADMIN_EMAIL" | "REQUIRE_EMAIL_VERIFICATION">;
  userId: string;
}): Promise<{ role: "user" | "admin"; accountId: string }> {
  const [user] = await db
    .select({ role: users.role, email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new Error(`session user ${userId} is missing`);
  const isAdminEmail = !!env.ADMIN_EMAIL && user.emailVerified && user.email === env.ADMIN_EMAIL.toLowerCase();
  // Where sign-up must verify the email, the starter credits wait for it (grantStarterCredits).
  const withStarterCredits = !env.REQUIRE_EMAIL_VERIFICATION || user.emailVerified;
  const accountId = await ensurePersonalAccount({ db, userId, withStarterCredits });
  return { role: user.role === "admin" || isAdminEmail ? "admin" : "user", accountId };
}

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
  env: Pick<Env, "ADMIN_EMAIL">;
  userId: string;
}): Promise<{ role: "user" | "admin"; accountId: string }> {
  const [user] = await db
    .select({ role: users.role, email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new Error(`session user ${userId} is missing`);
  const isAdminEmail = !!env.ADMIN_EMAIL && user.emailVerified && user.email === env.ADMIN_EMAIL.toLowerCase();
  const accountId = await ensurePersonalAccount({ db, userId });
  return { role: user.role === "admin" || isAdminEmail ? "admin" : "user", accountId };
}

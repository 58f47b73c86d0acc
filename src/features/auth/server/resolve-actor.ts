import "server-only";
import { eq } from "drizzle-orm";
import { ensurePersonalAccount } from "@/features/credits/server/accounts";
import { systemCtx, type Ctx, type Services } from "@/server/context";
import { users } from "@/server/db/schema";
import type { Locale } from "@/server/i18n";
import type { Auth } from "./auth";

/**
 * The one place a session cookie becomes a `ctx` (API routes and /i/ URLs alike). Undefined when
 * the request has no valid session; the user's role and account are read fresh, so a role change
 * applies at once.
 */
export async function resolveSessionCtx({
  auth,
  services,
  input,
}: {
  auth: Pick<Auth, "api">;
  services: Services;
  input: { headers: Headers; locale: Locale; requestId: string };
}): Promise<Ctx | undefined> {
  if (!input.headers.get("cookie")) return undefined;
  const session = await auth.api.getSession({ headers: input.headers });
  if (!session) return undefined;
  const { role, accountId } = await resolveSessionActor({ services, userId: session.user.id });
  return {
    actor: { type: "user", userId: session.user.id, role },
    accountId,
    db: services.db,
    locale: input.locale,
    requestId: input.requestId,
    services,
  };
}

async function resolveSessionActor({
  services,
  userId,
}: {
  services: Services;
  userId: string;
}): Promise<{ role: "user" | "admin"; accountId: string }> {
  const { env, db } = services;
  const [user] = await db
    .select({ role: users.role, email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new Error(`session user ${userId} is missing`);
  const isAdminEmail = !!env.ADMIN_EMAIL && user.emailVerified && user.email === env.ADMIN_EMAIL.toLowerCase();
  // Where sign-up must verify the email, the starter credits wait for it (grantStarterCredits).
  const withStarterCredits = !env.REQUIRE_EMAIL_VERIFICATION || user.emailVerified;
  const accountId = await ensurePersonalAccount({
    ctx: systemCtx(services, "session"),
    input: { userId, withStarterCredits },
  });
  return { role: user.role === "admin" || isAdminEmail ? "admin" : "user", accountId };
}

import "server-only";
import { eq } from "drizzle-orm";
import { getAccountSummary } from "@/features/credits/server/accounts";
import { requireAccountId, requireUserId, type Ctx } from "@/server/context";
import { users } from "@/server/db/schema";
import { notFound } from "@/server/errors";

export async function getMe({ ctx }: { ctx: Ctx }) {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(eq(users.id, requireUserId(ctx)));
  if (!user) throw notFound();
  const account = await getAccountSummary({ ctx, input: { accountId: requireAccountId(ctx) } });
  return {
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: ctx.actor.type === "user" ? ctx.actor.role : user.role,
      emailVerified: user.emailVerified,
    },
    account: { id: account.id, balance: account.balance, held: account.held },
  };
}

import "server-only";
import { desc } from "drizzle-orm";
import { requireAdmin } from "@/features/auth/server/require-admin";
import type { Ctx } from "@/server/context";
import { mailOutbox } from "@/server/db/schema";

/** Admins read mail that had nowhere else to go (no SMTP_URL): verification and reset links. */
export async function listOutboxMessages({ ctx }: { ctx: Ctx }) {
  requireAdmin(ctx);
  const rows = await ctx.db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(200);
  return rows.map((m) => ({
    id: m.id,
    to: m.to,
    subject: m.subject,
    text: m.text,
    createdAt: m.createdAt.toISOString(),
  }));
}

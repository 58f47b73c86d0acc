import "server-only";
import type { Ctx } from "@/server/context";
import { AppError } from "@/server/errors";

/** The admin pages' guard, the same as the outbox's: anyone else gets 403 and learns nothing more. */
export function assertAdmin(ctx: Ctx): string {
  if (ctx.actor.type !== "user" || ctx.actor.role !== "admin") throw new AppError("forbidden");
  return ctx.actor.userId;
}

import "server-only";
import type { Ctx } from "@/server/context";
import { AppError } from "@/server/errors";

/**
 * The one admin guard (admin pages, credits by hand, the outbox, provider settings): anyone else
 * gets 403 and learns nothing more. Returns the admin's user id for audit trails.
 */
export function requireAdmin(ctx: Ctx): string {
  if (ctx.actor.type !== "user" || ctx.actor.role !== "admin") throw new AppError("forbidden");
  return ctx.actor.userId;
}

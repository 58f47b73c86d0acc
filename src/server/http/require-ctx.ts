import "server-only";
import type { Context } from "hono";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import type { ApiEnv } from "./types";

export function requireCtx(c: Context<ApiEnv>): Ctx {
  const ctx = c.get("ctx");
  if (!ctx) throw new AppError("unauthorized");
  return ctx;
}

import "server-only";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { isNameTooLong } from "../name-rules";
import { nameTooLongCode } from "./auth-refusals";
import { isThrottledAuthPath } from "./throttle";

/** Runs before every better-auth endpoint. */
export const beforeAuthEndpoint = createAuthMiddleware(async (ctx) => {
  if (!ctx.request || ctx.request.method !== "POST") return;
  // The throttle reads the email from a JSON body, but better-auth also takes form posts on
  // sign-in and sign-up: those went unthrottled (unlimited password guesses). Our client only
  // sends JSON, so the throttled endpoints accept nothing else.
  if (isThrottledAuthPath(`/api/auth${ctx.path}`)) {
    const type = ctx.request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      throw new APIError("UNSUPPORTED_MEDIA_TYPE", { message: "Send JSON.", code: "UNSUPPORTED_MEDIA_TYPE" });
    }
  }
  const body = ctx.body as Record<string, unknown> | undefined;
  if ((ctx.path === "/sign-up/email" || ctx.path === "/update-user") && isNameTooLong(body?.name)) {
    throw new APIError("BAD_REQUEST", { message: "The name is too long.", code: nameTooLongCode });
  }
  // A new password signs out every other device, whatever the client asks: whoever knew the old
  // one (the reason to change it) must not stay signed in. The device that changed it gets a new
  // session.
  if (ctx.path === "/change-password") {
    return { context: { body: { ...body, revokeOtherSessions: true } } };
  }
});

/** Runs after every better-auth endpoint. */
export const afterAuthEndpoint = createAuthMiddleware(async (ctx) => {
  // The session token lives in an httpOnly cookie; a copy in a JSON body is readable by any
  // script on the page, which is what httpOnly is there to prevent. Nothing of ours needs it.
  if (ctx.path === "/get-session") {
    const returned = ctx.context.returned as { session?: Record<string, unknown> } | null | undefined;
    if (returned && typeof returned === "object" && returned.session) {
      return ctx.json({ ...returned, session: withoutToken(returned.session) });
    }
  }
  if (ctx.path === "/list-sessions" && Array.isArray(ctx.context.returned)) {
    return ctx.json((ctx.context.returned as Record<string, unknown>[]).map(withoutToken));
  }
});

function withoutToken(session: Record<string, unknown>): Record<string, unknown> {
  const { token: _token, ...rest } = session;
  return rest;
}

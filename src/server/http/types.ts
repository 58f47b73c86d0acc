import type { Ctx } from "../context";
import type { Locale } from "../i18n";

/** Hono variables set by the middleware in app.ts. `ctx` is present only with a valid session. */
export type ApiEnv = {
  Variables: {
    requestId: string;
    locale: Locale;
    ctx: Ctx | undefined;
  };
};

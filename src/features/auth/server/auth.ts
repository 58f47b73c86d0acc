import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { count } from "drizzle-orm";
import { ensurePersonalAccount } from "@/features/credits/server/accounts";
import { identities, sessions, users, verifications } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import type { Env } from "@/server/env";
import { negotiateLocale, translate } from "@/server/i18n";
import type { Mailer } from "@/server/mail/mailer";
import { readCookie } from "@/server/http/cookies";
import { hashPassword, verifyPassword } from "./password";
import { isThrottledAuthPath } from "./throttle";

export type AuthEnv = Pick<
  Env,
  | "APP_URL"
  | "APP_SECRET"
  | "ADMIN_EMAIL"
  | "REQUIRE_EMAIL_VERIFICATION"
  | "GOOGLE_CLIENT_ID"
  | "GOOGLE_CLIENT_SECRET"
  | "GITHUB_CLIENT_ID"
  | "GITHUB_CLIENT_SECRET"
>;

export function createAuth(env: AuthEnv, db: Db, mailer: Mailer) {
  const localeOf = (request?: Request) =>
    negotiateLocale(readCookie(request?.headers.get("cookie"), "NEXT_LOCALE"), request?.headers.get("accept-language"));

  const sendLink = async (kind: "verify" | "reset" | "existing", to: string, url: string, request?: Request) => {
    const locale = localeOf(request);
    await mailer.send({
      to,
      subject: translate(locale, `emails.${kind}.subject`),
      text: translate(locale, `emails.${kind}.body`, { url }),
    });
  };

  return betterAuth({
    appName: "Pixelwerk",
    baseURL: env.APP_URL,
    basePath: "/api/auth",
    secret: env.APP_SECRET,
    trustedOrigins: [env.APP_URL],
    // better-auth turns origin, CSRF and redirect-URL checks off when NODE_ENV=test (or TEST is set):
    // tests would then pass without the protections production relies on. Always on.
    advanced: { disableOriginCheck: false, disableCSRFCheck: false },
    telemetry: { enabled: false },
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { users, sessions, identities, verifications },
    }),
    user: {
      modelName: "users",
      // Not returned: a sign-up answer must look the same for every email, admin or not.
      additionalFields: { role: { type: "string", input: false, returned: false, defaultValue: "user" } },
    },
    session: { modelName: "sessions" },
    account: { modelName: "identities" },
    verification: { modelName: "verifications" },
    emailAndPassword: {
      enabled: true,
      // Sign-up answers the same whether or not the email exists; the client signs in next.
      autoSignIn: false,
      requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      password: { hash: hashPassword, verify: verifyPassword },
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: ({ user, url }, request) => sendLink("reset", user.email, url, request),
      onExistingUserSignUp: ({ user }, request) => sendLink("existing", user.email, `${env.APP_URL}/sign-in`, request),
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      sendVerificationEmail: ({ user, url }, request) => sendLink("verify", user.email, url, request),
    },
    socialProviders: socialProviders(env),
    // Sign-in throttling is ours (features/auth/server/throttle.ts), shared across processes.
    rateLimit: { enabled: false },
    hooks: {
      // The throttle reads the email from a JSON body, but better-auth also takes form posts on
      // sign-in and sign-up: those went unthrottled (unlimited password guesses). Our client only
      // sends JSON, so the throttled endpoints accept nothing else.
      before: createAuthMiddleware(async (ctx) => {
        if (!ctx.request || ctx.request.method !== "POST" || !isThrottledAuthPath(`/api/auth${ctx.path}`)) return;
        const type = ctx.request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
        if (type !== "application/json") {
          throw new APIError("UNSUPPORTED_MEDIA_TYPE", { message: "Send JSON.", code: "UNSUPPORTED_MEDIA_TYPE" });
        }
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // The first user administers the install. ADMIN_EMAIL is honoured only once that email
          // is verified (resolve-actor.ts), so nobody can claim it by signing up first.
          before: async (user) => {
            const [row] = await db.select({ n: count() }).from(users);
            return { data: { ...user, role: row?.n === 0 ? "admin" : "user" } };
          },
          after: async (user) => {
            await ensurePersonalAccount({ db, userId: user.id });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

export function enabledSocialProviders(env: AuthEnv): string[] {
  return Object.keys(socialProviders(env));
}

function socialProviders(env: AuthEnv) {
  const providers: Record<string, { clientId: string; clientSecret: string }> = {};
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    providers.google = { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET };
  }
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    providers.github = { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET };
  }
  return providers;
}

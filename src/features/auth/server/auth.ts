import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { count } from "drizzle-orm";
import { ensurePersonalAccount, grantStarterCredits } from "@/features/credits/server/accounts";
import { systemCtx, type Services } from "@/server/context";
import { identities, sessions, users, verifications } from "@/server/db/schema";
import type { Env } from "@/server/env";
import { negotiateLocale, translate } from "@/server/i18n";
import { readCookie } from "@/server/http/cookies";
import { nameMax } from "../name-rules";
import { afterAuthEndpoint, beforeAuthEndpoint } from "./auth-hooks";
import { raiseKnownRefusal } from "./auth-refusals";
import { hashPassword, verifyPassword } from "./password";
import { createSignUpTiming } from "./sign-up-timing";

export type AuthEnv = Pick<
  Env,
  | "APP_URL"
  | "publicOrigins"
  | "APP_SECRET"
  | "ADMIN_EMAIL"
  | "REQUIRE_EMAIL_VERIFICATION"
  | "GOOGLE_CLIENT_ID"
  | "GOOGLE_CLIENT_SECRET"
  | "GITHUB_CLIENT_ID"
  | "GITHUB_CLIENT_SECRET"
>;

/** better-auth with our hooks. Its user hooks are system work: they run with systemCtx(services, ...). */
export function createAuth(services: Services) {
  const { env, db, mailer } = services;
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

  const signUpTiming = createSignUpTiming();

  const auth = betterAuth({
    appName: "Pixelwerk",
    baseURL: env.APP_URL,
    basePath: "/api/auth",
    secret: env.APP_SECRET,
    // Every address the server announces (without APP_URL: localhost, 127.0.0.1, the LAN address),
    // not only APP_URL: opened at another of them, sign-up and sign-in were refused.
    trustedOrigins: env.publicOrigins,
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
    hooks: { before: beforeAuthEndpoint, after: afterAuthEndpoint },
    databaseHooks: {
      user: {
        create: {
          // The first user administers the install. ADMIN_EMAIL is honoured only once that email
          // is verified (resolve-actor.ts), so nobody can claim it by signing up first.
          before: async (user) => {
            const [row] = await db.select({ n: count() }).from(users);
            // A provider's profile name is not checked by our sign-up rules: cut it to fit.
            const name = [...user.name].slice(0, nameMax).join("");
            return { data: { ...user, name, role: row?.n === 0 ? "admin" : "user" } };
          },
          after: async (user, context) => {
            signUpTiming.markCreated(context?.request);
            // With REQUIRE_EMAIL_VERIFICATION the starter credits wait for a verified email (else
            // every throwaway address is free credits); a provider that vouches for it counts.
            const withStarterCredits = !env.REQUIRE_EMAIL_VERIFICATION || user.emailVerified;
            const ctx = systemCtx(services, "sign-up");
            await ensurePersonalAccount({ ctx, input: { userId: user.id, withStarterCredits } });
          },
        },
        update: {
          after: async (user) => {
            if (env.REQUIRE_EMAIL_VERIFICATION && user.emailVerified) {
              await grantStarterCredits({ ctx: systemCtx(services, "email-verified"), input: { userId: user.id } });
            }
          },
        },
      },
    },
  });

  // better-auth's handler with our two additions: sign-up answers wait for the timing floor, and
  // refusals a user can act on become our translated errors.
  const handler = async (request: Request): Promise<Response> => {
    const started = performance.now();
    const response = await auth.handler(request);
    if (request.method === "POST" && new URL(request.url).pathname === "/api/auth/sign-up/email") {
      await signUpTiming.settle(request, performance.now() - started);
    }
    await raiseKnownRefusal(response, env.APP_URL);
    return response;
  };
  return { ...auth, handler, fetch: handler };
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

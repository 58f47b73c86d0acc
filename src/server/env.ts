import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { z } from "zod";

/** The one place that reads process.env (DESIGN rule 5). */
const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const optionalUrl = z.url().optional();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The interface to listen on; every interface when unset. */
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  APP_URL: optionalUrl,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().default("Pixelwerk <no-reply@localhost>"),
  ADMIN_EMAIL: z.email().optional(),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: optionalUrl,
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: flag.default(true),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  REQUIRE_EMAIL_VERIFICATION: flag.default(false),
  RUN_WORKER_IN_WEB: flag.optional(),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  UPLOAD_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  /** Uploads received at once, per account and per process; more are refused before the body is read. */
  UPLOAD_CONCURRENCY_PER_ACCOUNT: z.coerce.number().int().min(1).default(4),
  UPLOAD_CONCURRENCY_TOTAL: z.coerce.number().int().min(1).default(16),
  /** Longest one /i/ render may hold a CPU slot before it is stopped. */
  TRANSFORM_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(20),
  JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(300),
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(10).default(2),
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).default(5),
  QUEUE_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
  QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).default(1),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  CPU_QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  CPU_QUEUE_MAX_WAITING: z.coerce.number().int().min(0).default(32),
  SIGNED_URL_TTL_SECONDS: z.coerce.number().int().min(10).default(900),
  TRUST_PROXY: flag.default(false),
  /** Requests per minute to /api/v1 for one account (or one address without a session). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** AGPL-3.0 §13: where users of a modified install can get its source; shown in the footer. */
  SOURCE_URL: optionalUrl,
  // AI providers' variables (OPENAI_API_KEY, COMFYUI_URL, ...) are not listed here: each adapter
  // declares its settings and the composition root passes them in (see DeclaredVariable).
  /** Comma-separated words or phrases refused in prompts before any provider is called. */
  PROMPT_BLOCKLIST: z.string().default(""),
  PROVIDER_ATTEMPTS: z.coerce.number().int().min(1).max(5).default(2),
  PROVIDER_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  REMOTE_FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  REMOTE_FETCH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(120),
  // Billing: payments are off without STRIPE_SECRET_KEY (admins grant credits by hand).
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** Points the Stripe SDK at another host (a local Stripe mock); the real API by default. */
  STRIPE_API_BASE: optionalUrl,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type RawEnv = z.infer<typeof schema>;

/**
 * A variable this file does not list but another part declares (each AI provider adapter declares
 * its settings): checked by its kind, kept in `env.declared`. Infrastructure knows no vendor.
 */
export type DeclaredVariable = { env: string; kind: "secret" | "url" | "string" };

const declaredKinds = { secret: z.string(), url: z.url(), string: z.string() } as const;

function declaredSchema(declared: readonly DeclaredVariable[]) {
  for (const variable of declared) {
    if (variable.env in schema.shape) throw new Error(`${variable.env} is declared twice (env.ts lists it)`);
  }
  return z.object(
    Object.fromEntries(declared.map((variable) => [variable.env, declaredKinds[variable.kind].optional()])),
  );
}

export type Env = RawEnv & {
  APP_URL: string;
  APP_SECRET: string;
  RUN_WORKER_IN_WEB: boolean;
  dataDir: string;
  mode: "embedded" | "production";
  /**
   * Origins a browser may use: APP_URL's, and without APP_URL every address `npm start` announces
   * (localhost, 127.0.0.1, [::1] and this machine's network addresses on PORT).
   */
  publicOrigins: string[];
  /** The values of the declared variables that are set (see DeclaredVariable). */
  declared: Readonly<Record<string, string>>;
};

export class ConfigError extends Error {}

/**
 * Parses an environment object; throws ConfigError naming every bad variable. `declared` are the
 * variables other parts declare (the providers' settings): without them those are not read.
 */
export function parseEnv(source: Record<string, string | undefined>, declared: readonly DeclaredVariable[] = []): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  const declaredResult = declaredSchema(declared).safeParse(cleaned);
  const issues = [...(result.error?.issues ?? []), ...(declaredResult.error?.issues ?? [])];
  if (!result.success || !declaredResult.success) {
    const lines = issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration, please fix these variables:\n${lines.join("\n")}`);
  }
  const raw = result.data;
  if (raw.S3_BUCKET && !(raw.S3_ACCESS_KEY_ID && raw.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError(
      "Invalid configuration: S3_BUCKET is set, so S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set too.",
    );
  }
  if (raw.STRIPE_SECRET_KEY && !raw.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(
      "Invalid configuration: STRIPE_SECRET_KEY is set, so STRIPE_WEBHOOK_SECRET must be set too (the signing secret of the webhook endpoint, whsec_...).",
    );
  }
  const dataDir = path.resolve(raw.DATA_DIR);
  const appUrl = (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, "");
  return {
    ...raw,
    dataDir,
    mode: raw.DATABASE_URL ? "production" : "embedded",
    APP_URL: appUrl,
    publicOrigins: raw.APP_URL ? [new URL(appUrl).origin] : localOrigins(raw.PORT),
    APP_SECRET: raw.APP_SECRET ?? readOrCreateSecret(dataDir),
    // PGlite allows one process per data folder, so embedded mode must run the worker in-process.
    RUN_WORKER_IN_WEB: raw.RUN_WORKER_IN_WEB ?? !raw.DATABASE_URL,
    declared: definedValues(declaredResult.data),
  };
}

function definedValues(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Every loopback and network address of this machine on `port`, as browser origins. */
export function localOrigins(port: number): string[] {
  const hosts = ["localhost", "127.0.0.1", "[::1]"];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      hosts.push(address.family === "IPv6" ? `[${address.address.split("%")[0]}]` : address.address);
    }
  }
  return [...new Set(hosts)].map((host) => `http://${host}:${port}`);
}

/** APP_SECRET falls back to a random secret kept in the data folder, made on first start. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process started at the same moment and wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
  return secret;
}

/** The log level alone, so importing the logger has no side effects (no secret file). */
export function readLogLevel(): RawEnv["LOG_LEVEL"] {
  const parsed = schema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL || undefined);
  return parsed.success ? parsed.data : "info";
}

let cached: Env | undefined;

/**
 * The process's environment, parsed once. The process roots (server.ts, worker.ts) pass the
 * providers' declared variables; pages that only read infrastructure settings need none.
 */
export function getEnv(declared: readonly DeclaredVariable[] = []): Env {
  cached ??= parseEnv(process.env, declared);
  return cached;
}

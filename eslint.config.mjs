import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The rules of DESIGN.md that a tool can check (ADR 0011). Layers, top to bottom; imports only go
// downward: app -> bootstrap -> features -> catalog -> engine -> server.
const layersAbove = {
  server: ["features", "engine", "catalog", "bootstrap", "components", "app"],
  engine: ["features", "catalog", "bootstrap", "components", "app"],
  catalog: ["features", "bootstrap", "components", "app"],
  features: ["bootstrap", "components", "app"],
  bootstrap: ["components", "app"],
};
// Server-side code of a feature: its server/ folder and its Hono routes (api.ts, *-api.ts).
const featureServerCode = ["./src/features/*/server/**", "./src/features/*/?(*-)api.ts"];
// A feature's other top-level files (name rules, shared types) are imported by client components.
const featureSharedFiles = "./src/features/*/!(api|*-api).{ts,tsx}";

const layerZones = Object.entries(layersAbove).map(([layer, above]) => ({
  target: `./src/${layer}`,
  from: above.map((name) => `./src/${name}`),
  message: `src/${layer}/ sits below ${above.join(", ")}: imports only go downward (DESIGN.md layout).`,
}));
const clientSideZones = [
  {
    target: ["./src/components", "./src/app", featureSharedFiles],
    from: ["./src/engine", "./src/bootstrap"],
    message: "Pages, components and a feature's shared files stay out of server code: import a feature's shared file.",
  },
  {
    target: ["./src/components", "./src/app", featureSharedFiles],
    from: "./src/server",
    // Lists of constants beside their tables, importing nothing (features/credits/ledger-kinds.ts re-exports one).
    except: ["./db/schema/ledger-kinds.ts", "./db/schema/job-statuses.ts"],
    message: "Pages, components and a feature's shared files stay out of server code: import a feature's shared file.",
  },
  {
    // Pages in app/ are server components and may call a feature's server functions (DESIGN.md:
    // "route handlers that call features"); a client page doing so fails the build (server-only).
    target: ["./src/components", featureSharedFiles],
    from: featureServerCode,
    message:
      "features/*/server and features/*/*api.ts are server code: share types through a feature's top-level file.",
  },
];

// Vendor SDKs (DESIGN rule 6): AI vendors only inside src/engine/providers/, Stripe only in the
// billing client (ADR 0009). The blocks below lift each ban where it does not apply.
const aiVendorSdks = {
  regex: "^(ai|openai|replicate)(/.*)?$|^@(ai-sdk|fal-ai|google|anthropic-ai)/",
  message: "AI vendor SDKs are imported only inside src/engine/providers/ (DESIGN rule 6).",
};
const stripeSdk = {
  regex: "^stripe(/.*)?$",
  message: "The Stripe SDK is imported only by src/features/billing/server/stripe-client.ts (ADR 0009).",
};
// The environment is parsed once, in src/server/env.ts (DESIGN rule 5).
const envMessage = "Read settings from getEnv() (src/server/env.ts), never from process.env.";
const processEnvImport = { name: "node:process", importNames: ["env"], message: envMessage };
const processEnvImportBare = { ...processEnvImport, name: "process" };
const restrictImports = (...patterns) => ["error", { paths: [processEnvImport, processEnvImportBare], patterns }];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // Unused arguments and variables prefixed with _ are intentional (e.g. route registrars).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    rules: {
      "import/no-restricted-paths": ["error", { zones: [...layerZones, ...clientSideZones] }],
    },
  },
  {
    files: ["**/*.{ts,tsx,mjs}"],
    ignores: ["tests/**"],
    rules: {
      "no-restricted-imports": restrictImports(aiVendorSdks, stripeSdk),
      "no-restricted-properties": ["error", { object: "process", property: "env", message: envMessage }],
    },
  },
  { files: ["src/engine/providers/**"], rules: { "no-restricted-imports": restrictImports(stripeSdk) } },
  {
    files: ["src/features/billing/server/stripe-client.ts"],
    rules: { "no-restricted-imports": restrictImports(aiVendorSdks) },
  },
  {
    // Server code marks itself, so that a client component reaching it fails `next build`. The
    // schema stays unmarked: drizzle-kit loads it without our resolve hook (ADR 0011). Type-only
    // files need no mark: their imports are erased.
    files: ["src/server/**/*.ts", "src/features/*/server/**/*.ts", "src/bootstrap/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.d.ts", "**/types.ts", "src/server/db/schema/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "Program:not(:has(ImportDeclaration[source.value='server-only']))",
          message: 'Server code starts with import "server-only" (ADR 0011).',
        },
      ],
    },
  },
  {
    // Who may read process.env: the one parser, and launchers that hand the environment to a child
    // process (npm start, benchmarks; tests are ignored above and set up their own processes), and
    // the browser-test runner's config (CI flag, Chromium path).
    files: ["src/server/env.ts", "scripts/start.mjs", "bench/**", "playwright.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "data/**",
    "drizzle/**",
    "node_modules/**",
    ".tmp/**",
    "test-results/**",
  ]),
]);

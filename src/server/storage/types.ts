import { AppError } from "@/server/errors";

/** Where uploads and outputs live: a local folder in embedded mode, a bucket in production. */
export interface Storage {
  readonly kind: "local" | "s3";
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Throws AppError("not_found") when the key is missing. */
  get(key: string): Promise<Buffer>;
  /** A web stream for HTTP responses; throws AppError("not_found") when the key is missing. */
  stream(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number }>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every key below `prefix/` (e.g. an asset's cached renders); idempotent. */
  deletePrefix(prefix: string): Promise<void>;
}

const KEY_CHARS = /^[A-Za-z0-9._/-]+$/;
const MAX_KEY_LENGTH = 512;

/**
 * Keys are relative paths such as `uploads/<uuid>.png`. Both backends share this check so a key
 * that works locally also works on S3, and no key can escape the local root folder.
 */
export function assertValidKey(key: string): void {
  const valid =
    typeof key === "string" &&
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    KEY_CHARS.test(key) &&
    !key.startsWith("/") &&
    key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
  if (!valid) {
    throw new AppError("bad_request", { message: `Invalid storage key: ${JSON.stringify(key)}` });
  }
}

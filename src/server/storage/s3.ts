import "server-only";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { AppError } from "@/server/errors";
import { assertValidKey, type Storage } from "./types";

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** For S3-compatible services (R2, MinIO); omit for AWS. */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most self-hosted servers need path-style URLs (`endpoint/bucket/key`). */
  forcePathStyle: boolean;
}

function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "NoSuchKey" || error.name === "NotFound") return true;
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}

export function createS3Client(options: S3StorageOptions): S3Client {
  return new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Newer SDKs send CRC32 checksums (and aws-chunked bodies) by default; many S3-compatible
    // servers reject or mis-store those, so only send checksums when an operation requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export function createS3Storage(options: S3StorageOptions, client: S3Client = createS3Client(options)): Storage {
  const Bucket = options.bucket;

  async function getObject(key: string) {
    assertValidKey(key);
    try {
      const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!result.Body) throw new AppError("not_found");
      return result;
    } catch (error) {
      if (isMissing(error)) throw new AppError("not_found", { cause: error });
      throw error;
    }
  }

  return {
    kind: "s3",

    async put(key, body, contentType) {
      assertValidKey(key);
      // A single PutObject is atomic on S3: readers never see a partial object.
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentLength: body.length,
        }),
      );
    },

    async get(key) {
      const result = await getObject(key);
      const bytes = await result.Body!.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },

    async stream(key) {
      const result = await getObject(key);
      return {
        body: result.Body!.transformToWebStream() as ReadableStream<Uint8Array>,
        size: result.ContentLength ?? 0,
      };
    },

    async exists(key) {
      assertValidKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async delete(key) {
      assertValidKey(key);
      // S3 DeleteObject already succeeds for missing keys; some compatible servers answer 404.
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },

    async deletePrefix(prefix) {
      assertValidKey(prefix);
      // A listing page holds at most 1,000 keys, which is also DeleteObjects' limit per call.
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
        );
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
        if (keys.length > 0)
          await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys, Quiet: true } }));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

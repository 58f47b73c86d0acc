import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/server/errors";
import { parseEnv } from "@/server/env";
import { createStorage } from "./index";
import { createLocalStorage } from "./local";
import { createS3Client, createS3Storage, type S3StorageOptions } from "./s3";
import { assertValidKey, type Storage } from "./types";

// s3rver ships no type declarations; this is the part of its API the tests use.
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error) ? error.code : error).toBe(code);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const invalidKeys = [
  "",
  "/etc/passwd",
  "../secret",
  "uploads/../../secret",
  "uploads/./a.png",
  "uploads//a.png",
  "uploads/",
  "uploads\\a.png",
  "uploads/a b.png",
  "uploads/ä.png",
  "uploads/a.png?x=1",
  "C:/a.png",
];

/** The same contract for every backend: callers must not be able to tell them apart. */
function contract(name: string, setup: () => Promise<Storage>) {
  describe(`${name} storage`, () => {
    let storage: Storage;
    beforeAll(async () => {
      storage = await setup();
    });

    it("round-trips bytes through put and get", async () => {
      const body = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
      await storage.put("uploads/roundtrip.bin", body, "application/octet-stream");
      expect(await storage.get("uploads/roundtrip.bin")).toEqual(body);
    });

    it("stores nested keys and larger bodies", async () => {
      const body = Buffer.alloc(3 * 1024 * 1024, 7);
      body.write("head", 0);
      await storage.put("outputs/job-1/0.webp", body, "image/webp");
      const got = await storage.get("outputs/job-1/0.webp");
      expect(got.length).toBe(body.length);
      expect(got.equals(body)).toBe(true);
    });

    it("streams an object as a web stream with its size", async () => {
      const body = Buffer.from("streamed content ".repeat(1000));
      await storage.put("outputs/job-2/0.png", body, "image/png");
      const { body: stream, size } = await storage.stream("outputs/job-2/0.png");
      expect(stream).toBeInstanceOf(ReadableStream);
      expect(size).toBe(body.length);
      expect((await readAll(stream)).equals(body)).toBe(true);
    });

    it("reports existence", async () => {
      await storage.put("uploads/exists.txt", Buffer.from("x"), "text/plain");
      expect(await storage.exists("uploads/exists.txt")).toBe(true);
      expect(await storage.exists("uploads/never.txt")).toBe(false);
      // A prefix of stored keys is not an object.
      expect(await storage.exists("uploads")).toBe(false);
    });

    it("deletes everything below a prefix and nothing beside it", async () => {
      await storage.put("derived/asset-a/1.webp", Buffer.from("1"), "image/webp");
      await storage.put("derived/asset-a/2.png", Buffer.from("2"), "image/png");
      await storage.put("derived/asset-ab/3.png", Buffer.from("3"), "image/png");
      await storage.deletePrefix("derived/asset-a");
      expect(await storage.exists("derived/asset-a/1.webp")).toBe(false);
      expect(await storage.exists("derived/asset-a/2.png")).toBe(false);
      expect(await storage.exists("derived/asset-ab/3.png")).toBe(true);
      await storage.deletePrefix("derived/asset-a");
      await storage.deletePrefix("derived/never-existed");
      await expectCode(storage.deletePrefix("../outside"), "bad_request");
    });

    it("deletes, and deleting again is fine", async () => {
      await storage.put("uploads/delete-me.txt", Buffer.from("x"), "text/plain");
      await storage.delete("uploads/delete-me.txt");
      expect(await storage.exists("uploads/delete-me.txt")).toBe(false);
      await storage.delete("uploads/delete-me.txt");
      await storage.delete("uploads/never-existed.txt");
    });

    it("throws not_found for missing keys", async () => {
      await expectCode(storage.get("uploads/missing.png"), "not_found");
      await expectCode(storage.stream("uploads/missing.png"), "not_found");
      await expectCode(storage.get("missing-folder/missing.png"), "not_found");
    });

    it("overwrites an existing key", async () => {
      await storage.put("uploads/over.txt", Buffer.from("first version, longer"), "text/plain");
      await storage.put("uploads/over.txt", Buffer.from("second"), "text/plain");
      expect((await storage.get("uploads/over.txt")).toString()).toBe("second");
      const { size, body } = await storage.stream("uploads/over.txt");
      expect(size).toBe(6);
      expect((await readAll(body)).toString()).toBe("second");
    });

    it("stores an empty body", async () => {
      await storage.put("uploads/empty.bin", Buffer.alloc(0), "application/octet-stream");
      expect((await storage.get("uploads/empty.bin")).length).toBe(0);
    });

    it.each(invalidKeys)("rejects the invalid key %j in every method", async (key) => {
      await expectCode(storage.put(key, Buffer.from("x"), "text/plain"), "bad_request");
      await expectCode(storage.get(key), "bad_request");
      await expectCode(storage.stream(key), "bad_request");
      await expectCode(storage.exists(key), "bad_request");
      await expectCode(storage.delete(key), "bad_request");
    });
  });
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let localRoot = "";
contract("local", async () => {
  localRoot = await mkdtemp(path.join(tmpdir(), "pixelwerk-storage-"));
  cleanups.push(() => rm(localRoot, { recursive: true, force: true }));
  return createLocalStorage(localRoot);
});

let s3: { client: S3Client; bucket: string } | undefined;
contract("s3", async () => {
  const directory = await mkdtemp(path.join(tmpdir(), "pixelwerk-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await server.run();
  cleanups.push(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });
  const options: S3StorageOptions = {
    bucket: "pixelwerk-test",
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  };
  const client = createS3Client(options);
  s3 = { client, bucket: options.bucket };
  // Through the real SDK, so bucket creation is exercised against the server as well.
  await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
  return createS3Storage(options, client);
});

describe("local storage specifics", () => {
  it("leaves no temporary files behind after writes", async () => {
    const storage = createLocalStorage(localRoot);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        storage.put("uploads/concurrent.txt", Buffer.from(`version ${i}`), "text/plain"),
      ),
    );
    const files = await readdir(path.join(localRoot, "uploads"));
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect((await storage.get("uploads/concurrent.txt")).toString()).toMatch(/^version \d+$/);
  });
});

describe("s3 client options", () => {
  // Without requestChecksumCalculation "WHEN_REQUIRED" the SDK sends streamed bodies aws-chunked
  // with a CRC32 trailer, and s3rver stores that framing as the object's bytes.
  it("stores streamed bodies verbatim on s3rver", async () => {
    const { client, bucket } = s3!;
    const body = Buffer.from("streamed through the SDK");
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "uploads/sdk-stream.txt",
        Body: Readable.from([body]),
        ContentLength: body.length,
      }),
    );
    const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "uploads/sdk-stream.txt" }));
    expect(await result.Body!.transformToString()).toBe(body.toString());
  });
});

describe("assertValidKey", () => {
  it.each(["uploads/0b5e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b.png", "outputs/job_1/0.webp", "a", ".x"])(
    "accepts %j",
    (key) => {
      expect(() => assertValidKey(key)).not.toThrow();
    },
  );
  it.each(invalidKeys)("rejects %j", (key) => {
    expect(() => assertValidKey(key)).toThrow();
  });
});

describe("createStorage", () => {
  it("uses a local folder under the data dir without a bucket", () => {
    const env = parseEnv({ DATA_DIR: localRoot, APP_SECRET: "x".repeat(32) });
    expect(createStorage(env).kind).toBe("local");
  });
  it("uses S3 when a bucket is configured", () => {
    const env = parseEnv({
      DATA_DIR: localRoot,
      APP_SECRET: "x".repeat(32),
      S3_BUCKET: "bucket",
      S3_ACCESS_KEY_ID: "a",
      S3_SECRET_ACCESS_KEY: "b",
    });
    expect(createStorage(env).kind).toBe("s3");
  });
});

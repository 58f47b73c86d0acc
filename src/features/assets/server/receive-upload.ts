import "server-only";
import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/server/errors";

export type ReceivedUpload = {
  /** A temporary file holding exactly the uploaded bytes; removed by `discard`. */
  path: string;
  name?: string;
  bytes: number;
  discard(): Promise<void>;
};

const mebibyte = 1024 * 1024;
/** Room for boundaries and part headers around the file; more means another part or garbage. */
export const multipartOverhead = 64 * 1024;

function tooLarge(maxBytes: number): AppError {
  return new AppError("file_too_large", { params: { maxMegabytes: Math.round((maxBytes / mebibyte) * 10) / 10 } });
}

function missingFile(): AppError {
  return new AppError("validation_failed", { fields: { file: ["Required: the image, as a file part named “file”."] } });
}

/**
 * Streams a multipart/form-data body to a temporary file in `dir`, counting bytes: nothing of the
 * file is held in memory, and past `maxBytes` it stops with 413 at once (the rest of the body is
 * read and dropped chunk by chunk, never kept). Only the part named `file` is stored; other parts
 * are skipped. On any failure, including the client going away, the temporary file is removed.
 */
export async function receiveUpload(input: {
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  dir: string;
  maxBytes: number;
}): Promise<ReceivedUpload> {
  const contentType = input.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) throw new AppError("unsupported_media_type");
  const length = Number(input.headers.get("content-length") ?? Number.NaN);
  // A declared length over the limit is refused before a single byte is read.
  if (length > input.maxBytes + multipartOverhead) throw tooLarge(input.maxBytes);
  if (!input.body) throw missingFile();

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      // Browsers send UTF-8 file names; busboy would read them as Latin-1.
      defParamCharset: "utf8",
      limits: { files: 1, fileSize: input.maxBytes, fields: 20, fieldSize: 8 * 1024, parts: 40, headerPairs: 20 },
    });
  } catch (error) {
    // A multipart type without a usable boundary.
    throw new AppError("unsupported_media_type", { cause: error });
  }

  await mkdir(input.dir, { recursive: true });
  const file = path.join(input.dir, `${randomUUID()}.upload`);
  const discard = () => rm(file, { force: true });
  const source = Readable.fromWeb(input.body as WebReadableStream<Uint8Array>);

  let writing: Promise<{ name?: string; bytes: number }> | undefined;
  let output: WriteStream | undefined;
  const received = new Promise<ReceivedUpload>((resolve, reject) => {
    const fail = (error: unknown) => {
      // Keep reading and dropping what is left (no memory), so the answer can still be sent.
      source.unpipe(parser);
      source.on("data", () => undefined);
      output?.destroy();
      // A broken or cut-off body is the client's error, not ours.
      reject(error instanceof AppError ? error : new AppError("bad_request", { cause: error }));
    };
    source.on("error", fail);
    parser.on("error", fail);
    parser.on("file", (field, stream, info) => {
      if (field !== "file" || writing) {
        stream.resume();
        return;
      }
      let bytes = 0;
      stream.on("data", (chunk: Buffer) => (bytes += chunk.length));
      stream.on("limit", () => fail(tooLarge(input.maxBytes)));
      output = createWriteStream(file, { flags: "wx" });
      writing = pipeline(stream, output).then(() => {
        if (stream.truncated) throw tooLarge(input.maxBytes);
        return { name: info.filename || undefined, bytes };
      });
      writing.catch(fail);
    });
    parser.on("close", () => {
      if (!writing) return fail(missingFile());
      writing.then(({ name, bytes }) => resolve({ path: file, name, bytes, discard }), fail);
    });
  });
  source.pipe(parser);
  try {
    return await received;
  } catch (error) {
    // The write must have ended (or never started) before the file is removed, or it could reappear.
    const open = output;
    if (open && !open.closed) await new Promise((resolve) => open.once("close", resolve));
    await discard();
    throw error;
  }
}

/** Removes temporary uploads left by a crashed process (older than an hour; live ones are younger). */
export async function sweepStaleUploads(dir: string, now = Date.now()): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs > 60 * 60 * 1000) await rm(file, { force: true }).catch(() => undefined);
  }
}

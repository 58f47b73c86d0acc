import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { count, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import de from "@/messages/de.json";
import en from "@/messages/en.json";
import { assets } from "@/server/db/schema";
import { signUpAndIn, uploadBody, type TestUser } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

const hubble = readFileSync("tests/fixtures/images/hubble_deep_field.jpg");
const chelsea = readFileSync("tests/fixtures/images/chelsea.png");

/** A grayscale PNG whose header claims width×height but whose pixel data is one deflated row. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (gray), no interlace: the rest stays 0
  return Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n", "latin1"),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.alloc(1 + width))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

describe("uploads over HTTP", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ runWorker: false });
    user = await signUpAndIn(server.baseUrl);
    // One good upload first, so "nothing new stored" is measured against a non-empty store.
    expect((await user.request("/api/v1/assets", uploadBody(chelsea, "chelsea.png", "image/png"))).status).toBe(201);
  });
  afterAll(() => server?.close());

  /** Rows, files and balance: everything a failed upload must leave exactly as it was. */
  async function snapshot() {
    const [row] = await server.rt.db.select({ n: count() }).from(assets);
    const me = await user.json<{ account: { balance: number; held: number } }>("/api/v1/me");
    return { rows: row!.n, files: listFiles(path.join(server.dataDir, "files")), account: me.body.account };
  }

  async function upload(bytes: Buffer, name: string, type: string, headers: Record<string, string> = {}) {
    const init = uploadBody(bytes, name, type);
    const response = await user.request("/api/v1/assets", { ...init, headers });
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
  }

  it.each([
    ["a 20000×20000 PNG", () => pngClaiming(20_000, 20_000), "bomb.png", "image/png", 413, "image_too_large"],
    [
      "a truncated JPEG",
      () => hubble.subarray(0, Math.floor(hubble.length * 0.6)),
      "cut.jpg",
      "image/jpeg",
      422,
      "corrupt_image",
    ],
    [
      "a text file named .png",
      () => Buffer.from("these are my notes, not a picture\n"),
      "notes.png",
      "image/png",
      415,
      "unsupported_file_type",
    ],
    // Its declared length is over the request limit: refused by the global body limit, unread.
    [
      "a 26 MB file",
      () => Buffer.concat([hubble, Buffer.alloc(26 * 1024 * 1024 - hubble.length)]),
      "huge.jpg",
      "image/jpeg",
      413,
      "body_too_large",
    ],
    // Under the request limit (which allows for multipart overhead) but over the file limit.
    [
      "a file just over 25 MB",
      () => Buffer.concat([hubble, Buffer.alloc(25 * 1024 * 1024 + 1 - hubble.length)]),
      "big.jpg",
      "image/jpeg",
      413,
      "file_too_large",
    ],
  ])("refuses %s and stores nothing", async (_name, make, name, type, status, code) => {
    const before = await snapshot();
    const bytes = make();
    const { status: answered, body } = await upload(bytes, name, type);
    expect(answered).toBe(status);
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toMatch(/\{\w+\}/);
    expect(await snapshot()).toEqual(before);
  });

  it("builds a bomb that really claims 20000×20000 in a few bytes", async () => {
    const bomb = pngClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(1_000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect(meta).toMatchObject({ format: "png", width: 20_000, height: 20_000 });
    const { body } = await upload(bomb, "bomb.png", "image/png");
    expect(body.error.message).toBe(en.errors.image_too_large.replace("{maxMegapixels}", "40"));
  });

  it("accepts a JPEG with GPS EXIF and stores it without any metadata", async () => {
    const tagged = await sharp(hubble)
      .withExif({
        IFD0: { Make: "SpyCam", Artist: "Jane Doe" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "52/1 31/1 0/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "13/1 24/1 0/1",
        },
      })
      .jpeg()
      .toBuffer();
    const input = await sharp(tagged).metadata();
    expect(input.exif).toBeDefined();
    expect(tagged.includes("SpyCam")).toBe(true);

    const before = await snapshot();
    const response = await user.request("/api/v1/assets", uploadBody(tagged, "holiday.jpg", "image/jpeg"));
    expect(response.status).toBe(201);
    const { asset } = (await response.json()) as { asset: { id: string; url: string; mime: string } };
    expect(asset.mime).toBe("image/jpeg");
    const after = await snapshot();
    expect(after.rows).toBe(before.rows + 1);
    expect(after.files).toHaveLength(before.files.length + 1);
    expect(after.account).toEqual(before.account);

    const download = await fetch(server.baseUrl + asset.url);
    expect(download.status).toBe(200);
    const stored = Buffer.from(await download.arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 1000, height: 872 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(stored.includes("SpyCam")).toBe(false);
    expect(stored.includes("Exif\0\0")).toBe(false);
  });

  it("keeps a Unicode file name and offers it for download", async () => {
    const name = "Straße 画像 1.png";
    const response = await user.json<{ asset: { name: string; url: string } }>(
      "/api/v1/assets",
      uploadBody(chelsea, name, "image/png"),
    );
    expect(response.status).toBe(201);
    expect(response.body.asset.name).toBe(name);
    const download = await fetch(`${server.baseUrl}${response.body.asset.url}&download=1`);
    expect(download.status).toBe(200);
    const disposition = download.headers.get("content-disposition")!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+\.png"; /);
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(disposition)![1]!)).toBe(name);
    expect(Buffer.from(await download.arrayBuffer()).length).toBeGreaterThan(0);
  });

  it("answers 400 validation_failed when the file field is missing", async () => {
    const before = await snapshot();
    const form = new FormData();
    form.set("picture", new Blob([new Uint8Array(chelsea)], { type: "image/png" }), "chelsea.png");
    const response = await user.request("/api/v1/assets", { method: "POST", body: form });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: "validation_failed", message: en.errors.validation_failed });
    expect(Object.keys(body.error.fields)).toContain("file");
    expect(await snapshot()).toEqual(before);
  });

  it("documents the upload in OpenAPI as multipart/form-data with a `file` part", async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: unknown }> } } }>;
    };
    expect(doc.paths["/assets"]!.post!.requestBody!.content["multipart/form-data"]!.schema).toEqual({
      type: "object",
      properties: { file: { type: "string", format: "binary" } },
      required: ["file"],
    });
  });

  it("answers 415 for a body that is not multipart/form-data, and stores nothing", async () => {
    const before = await snapshot();
    for (const [type, body] of [
      ["image/jpeg", new Uint8Array(hubble)],
      ["application/json", JSON.stringify({ file: "x" })],
      ["multipart/form-data", "no boundary here"],
    ] as const) {
      const response = await user.request("/api/v1/assets", {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
      expect(response.status).toBe(415);
      expect((await response.json()).error.code).toBe("unsupported_media_type");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("streams to a temporary file that is removed after success, refusal and a client that goes away", async () => {
    const temp = path.join(server.dataDir, "tmp", "uploads");
    expect((await upload(chelsea, "ok.png", "image/png")).status).toBe(201);
    expect((await upload(Buffer.from("not an image"), "x.png", "image/png")).status).toBe(415);
    expect(listFiles(temp)).toEqual([]);

    // A client that sends 4 MB of a multipart body, then disappears.
    const boundary = "----pixelwerk-abort";
    const controller = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        if (sent === 0)
          stream.enqueue(
            new TextEncoder().encode(
              `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
            ),
          );
        if (sent >= 4 * 1024 * 1024) {
          // Give the server time to write what it got, then cut the connection.
          await new Promise((resolve) => setTimeout(resolve, 300));
          controller.abort();
          return;
        }
        sent += 256 * 1024;
        stream.enqueue(new Uint8Array(256 * 1024));
      },
    });
    const aborted = await user
      .request("/api/v1/assets", {
        method: "POST",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        body,
        signal: controller.signal,
        duplex: "half",
      } as RequestInit)
      .then(
        (response) => response.status,
        (error: unknown) => (error as Error).name,
      );
    expect(aborted).toBe("AbortError");
    for (let i = 0; i < 100 && listFiles(temp).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listFiles(temp)).toEqual([]);
    // The slot it held is free again: the account can still upload.
    expect((await upload(chelsea, "after.png", "image/png")).status).toBe(201);
  });

  it("checks the session before the body: anonymous uploads get 401 (or 413 unread when declared too long)", async () => {
    const before = await snapshot();
    const fits = Buffer.concat([hubble, Buffer.alloc(20 * 1024 * 1024 - hubble.length)]);
    for (const bytes of [chelsea, fits]) {
      const response = await fetch(`${server.baseUrl}/api/v1/assets`, uploadBody(bytes, "anon.png", "image/png"));
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("unauthorized");
    }
    const big = Buffer.concat([hubble, Buffer.alloc(26 * 1024 * 1024 - hubble.length)]);
    const refused = await fetch(`${server.baseUrl}/api/v1/assets`, uploadBody(big, "anon.png", "image/png"));
    expect(refused.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it("explains a refused upload in German when asked", async () => {
    const { status, body } = await upload(Buffer.from("hallo"), "notiz.png", "image/png", { "accept-language": "de" });
    expect(status).toBe(415);
    expect(body.error).toEqual({ code: "unsupported_file_type", message: de.errors.unsupported_file_type });
    // Just over the file limit, so the upload route itself counts and refuses it.
    const big = Buffer.concat([hubble, Buffer.alloc(25 * 1024 * 1024 + 1 - hubble.length)]);
    const tooBig = await upload(big, "riesig.jpg", "image/jpeg", { cookie: `${user.cookie}; NEXT_LOCALE=de` });
    expect(tooBig.body.error).toEqual({
      code: "file_too_large",
      message: de.errors.file_too_large.replace("{maxMegabytes}", "25"),
    });
  });

  it("leaves nothing behind when storage fails, and says only 'internal error'", async () => {
    const before = await snapshot();
    const put = vi.spyOn(server.rt.storage, "put").mockRejectedValueOnce(new Error("disk full at /secret/path"));
    const logged = vi.spyOn(server.rt.logger, "error").mockImplementation(() => undefined);
    try {
      const response = await user.request("/api/v1/assets", uploadBody(chelsea, "chelsea.png", "image/png"));
      expect(response.status).toBe(500);
      const body = await response.json();
      const requestId = response.headers.get("x-request-id")!;
      expect(body.error.code).toBe("internal_error");
      expect(body.error.message).not.toContain("disk full");
      expect(body.error.message).toContain(requestId);
      // The details go to the log, under the same request id.
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ requestId, err: expect.any(Error) }),
        "unexpected error",
      );
      expect(put).toHaveBeenCalledTimes(1);
      expect(await snapshot()).toEqual(before);

      // Only that one call failed: the next upload is stored normally.
      const retry = await user.request("/api/v1/assets", uploadBody(chelsea, "chelsea.png", "image/png"));
      expect(retry.status).toBe(201);
    } finally {
      put.mockRestore();
      logged.mockRestore();
    }
  });

  it("removes the stored file again when the database refuses the row", async () => {
    // A real database failure after the bytes are written: a trigger refusing one file name.
    const db = server.rt.db;
    await db.execute(sql`CREATE FUNCTION refuse_asset() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$`);
    await db.execute(sql`CREATE TRIGGER refuse_asset BEFORE INSERT ON assets FOR EACH ROW
      WHEN (NEW.name = 'refused.png') EXECUTE FUNCTION refuse_asset()`);
    const put = vi.spyOn(server.rt.storage, "put");
    const logged = vi.spyOn(server.rt.logger, "error").mockImplementation(() => undefined);
    try {
      const before = await snapshot();
      const response = await user.request("/api/v1/assets", uploadBody(chelsea, "refused.png", "image/png"));
      expect(response.status).toBe(500);
      expect((await response.json()).error.code).toBe("internal_error");
      // The bytes were written, then removed again.
      expect(put).toHaveBeenCalledTimes(1);
      const key = put.mock.calls[0]![0];
      expect(await server.rt.storage.exists(key)).toBe(false);
      expect(await snapshot()).toEqual(before);
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      put.mockRestore();
      logged.mockRestore();
      await db.execute(sql`DROP TRIGGER refuse_asset ON assets`);
      await db.execute(sql`DROP FUNCTION refuse_asset()`);
    }
    expect((await user.request("/api/v1/assets", uploadBody(chelsea, "refused.png", "image/png"))).status).toBe(201);
  });
});

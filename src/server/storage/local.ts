import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "@/server/errors";
import { assertValidKey, type Storage } from "./types";

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // EISDIR/ENOTDIR: a key naming a folder, or going through a file, is simply not an object.
  return code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR";
}

export function createLocalStorage(rootDir: string): Storage {
  const root = path.resolve(rootDir);

  function resolve(key: string): string {
    assertValidKey(key);
    const file = path.resolve(root, key);
    // assertValidKey already rules out "..", this is a second guard against escaping the root.
    if (!file.startsWith(root + path.sep)) throw new AppError("bad_request");
    return file;
  }

  return {
    kind: "local",

    async put(key, body) {
      const file = resolve(key);
      const dir = path.dirname(file);
      await mkdir(dir, { recursive: true });
      // Same folder as the target so the rename is atomic: readers see old or new, never half.
      const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
      try {
        const handle = await open(temp, "wx");
        try {
          await handle.writeFile(body);
          // Flush before rename, or a power loss could leave a renamed but empty file.
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    },

    async get(key) {
      const file = resolve(key);
      try {
        return await readFile(file);
      } catch (error) {
        if (isMissing(error)) throw new AppError("not_found", { cause: error });
        throw error;
      }
    },

    async stream(key) {
      const file = resolve(key);
      let handle;
      try {
        handle = await open(file, "r");
      } catch (error) {
        if (isMissing(error)) throw new AppError("not_found", { cause: error });
        throw error;
      }
      // Size from the open handle, so a concurrent overwrite (rename) cannot make it disagree.
      const info = await handle.stat().catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      if (!info.isFile()) {
        await handle.close();
        throw new AppError("not_found");
      }
      const nodeStream = handle.createReadStream({ autoClose: true });
      return {
        body: Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>,
        size: info.size,
      };
    },

    async exists(key) {
      const file = resolve(key);
      try {
        return (await stat(file)).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async delete(key) {
      const file = resolve(key);
      try {
        await unlink(file);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },

    async deletePrefix(prefix) {
      // resolve() validates it like a key, so the folder is always inside the root.
      await rm(resolve(prefix), { recursive: true, force: true });
    },
  };
}

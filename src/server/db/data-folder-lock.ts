import "server-only";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

type LockOwner = { pid: number; host: string };

/** Lock files this process holds: our own pid in any other lock file is from an earlier life. */
const held = new Set<string>();

/**
 * PGlite must be opened by one process only: a second one corrupts the database. The lock is a
 * file beside the database, created exclusively, naming the owner's pid and host. It needs no
 * heartbeat (PGlite's start blocks the event loop for seconds, which timer-refreshed locks
 * mistake for a dead owner): a lock whose process is gone is taken over at once, so a restart
 * after a crash just works, while a live owner makes the second process stop with a message.
 */
export function lockDataFolder(dbDir: string): () => void {
  const file = `${dbDir}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      held.add(file);
      return () => {
        held.delete(file);
        releaseIfOwned(file, me);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readOwner(file);
    if (owner && (held.has(file) || isAlive(owner))) throw new DataFolderInUseError(dbDir, file, owner);
    // Dead owner: move its lock aside. Rename is atomic, so of two processes taking over at the
    // same moment only one moves it; the other finds the new owner's lock on its next attempt.
    try {
      renameSync(file, `${file}.stale-${randomUUID()}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    rmStale(file);
  }
  throw new DataFolderInUseError(dbDir, file, readOwner(file));
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? { pid: parsed.pid, host: parsed.host }
      : undefined;
  } catch {
    // Half-written or unreadable: its writer died between create and write.
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  // Another machine sharing the folder: its processes cannot be checked from here, so it holds.
  if (owner.host !== hostname()) return true;
  // Our own pid in a lock we have not taken: left by an earlier life of this container's pid.
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function releaseIfOwned(file: string, me: LockOwner) {
  const owner = readOwner(file);
  if (owner?.pid === me.pid && owner.host === me.host) rmSync(file, { force: true });
}

/** Locks moved aside by a takeover: nobody reads them again. */
function rmStale(file: string) {
  const prefix = `${path.basename(file)}.stale-`;
  for (const name of readdirSync(path.dirname(file))) {
    if (name.startsWith(prefix)) rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

export class DataFolderInUseError extends Error {
  constructor(dbDir: string, lockFile: string, owner: LockOwner | undefined) {
    super(
      `Another Pixelwerk process${owner ? ` (pid ${owner.pid} on ${owner.host})` : ""} is already using the database in ${dbDir}. ` +
        "Embedded mode allows one process per data folder: stop the other one, or set DATA_DIR to another folder. " +
        `If no other Pixelwerk is running, delete ${lockFile}.`,
    );
    this.name = "DataFolderInUseError";
  }
}

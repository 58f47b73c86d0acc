import lockfile from "proper-lockfile";

/**
 * PGlite must be opened by one process only: a second one corrupts the database. The lock is a
 * directory created atomically beside the database and touched every 2 s; a lock left behind by a
 * killed process goes stale after 10 s. A start waits a little longer than that for the lock, so a
 * restart right after a crash succeeds, while a second live process is refused.
 */
export async function lockDataFolder(dbDir: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dbDir, {
      lockfilePath: `${dbDir}.lock`,
      realpath: false,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 7, factor: 1.5, minTimeout: 1_000, maxTimeout: 3_000 },
      onCompromised,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") throw new DataFolderInUseError(dbDir);
    throw error;
  }
}

export class DataFolderInUseError extends Error {
  constructor(dbDir: string) {
    super(
      `Another Pixelwerk process is already using the database in ${dbDir}. ` +
        "Embedded mode allows one process per data folder: stop the other one, or set DATA_DIR to another folder.",
    );
    this.name = "DataFolderInUseError";
  }
}

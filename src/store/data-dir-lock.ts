import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export class DataDirLockedError extends Error {
  readonly pid: number;
  readonly dir: string;
  constructor(dir: string, pid: number) {
    super(
      `The data directory ${dir} is already in use by another Chibo process (pid ${pid}). ` +
        `PGlite allows one process per data directory: stop that process, use another DATA_DIR, or set DATABASE_URL to use PostgreSQL.`,
    );
    this.name = "DataDirLockedError";
    this.pid = pid;
    this.dir = dir;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite keeps the whole database in one process's memory and writes it back to the data
 * directory; two processes on one directory would corrupt it. A lock file with the owner's
 * pid refuses the second process, and a lock left by a dead process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "chibo.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dir, pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dir}.`);
}

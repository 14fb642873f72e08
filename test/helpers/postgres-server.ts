import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPT = new URL("../../scripts/start-postgres.sh", import.meta.url).pathname;

/** A PostgreSQL server of a test's own, which the test can stop and start again (an outage). */
export interface PostgresServer {
  url: string;
  /** Stops the server, keeping its data. */
  pause(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /** Stops it and deletes its files. */
  remove(): Promise<void>;
}

/** Whether this machine has a PostgreSQL server to start (CI installs one for its PostgreSQL suite). */
export async function postgresServerAvailable(): Promise<boolean> {
  try {
    await run("bash", ["-c", `source "${SCRIPT}" && pg_find_bindir`]);
    return true;
  } catch {
    return false;
  }
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const { stdout, stderr } = await run("bash", [SCRIPT, "start"], { timeout: 120_000 });
  const dir = /server ready in (\S+)/.exec(stderr)?.[1];
  if (!dir) throw new Error(`no server directory in: ${stderr}`);
  return {
    url: stdout.trim(),
    pause: async () => void (await run("bash", [SCRIPT, "pause", dir], { timeout: 60_000 })),
    resume: async () => void (await run("bash", [SCRIPT, "resume", dir], { timeout: 120_000 })),
    remove: async () => void (await run("bash", [SCRIPT, "stop", dir], { timeout: 60_000 })),
  };
}

// A Pixelwerk test server in a child process, so a benchmark measures the server's own memory
// (read from /proc) apart from its client. Not a benchmark itself: it exports no run().
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

export type ServerProcess = {
  baseUrl: string;
  pid: number;
  /** The child's resident memory now, in MB (Linux). */
  rssMb(): number;
  /** The child's peak resident memory since the last resetPeak(), in MB (Linux VmHWM). */
  peakRssMb(): number;
  resetPeak(): void;
  close(): Promise<void>;
};

function statusField(pid: number, field: string): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, "--serve", JSON.stringify(env)],
    {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, LOG_LEVEL: "error" },
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve(line.slice(6).trim());
    });
  });
  const pid = child.pid!;
  return {
    baseUrl,
    pid,
    rssMb: () => statusField(pid, "VmRSS"),
    peakRssMb: () => statusField(pid, "VmHWM"),
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, "5");
      } catch {
        // not Linux: the peak then counts from the start
      }
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

async function serve(env: Record<string, string>) {
  const { startTestServer } = await import("../tests/support/server");
  const server = await startTestServer({ runWorker: false, env });
  console.log(`READY ${server.baseUrl}`);
  // The parent ends the server by closing stdin.
  process.stdin.resume();
  process.stdin.on("end", () => {
    void server.close().finally(() => process.exit(0));
  });
}

if (process.argv[2] === "--serve" && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(JSON.parse(process.argv[3] ?? "{}") as Record<string, string>).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

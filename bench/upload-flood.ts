// Concurrent big uploads against one server process: its peak RSS and /api/health latency while
// 40 uploads of ~24 MB by one account and 4 by each of five others arrive at once (the flood of
// issue 9), and while 16 within the bounds are all accepted. The server runs in a child process,
// so the figures are its own. `npm run bench -- [images-folder] upload-flood`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { signUpAndIn, type TestUser } from "../tests/support/client";
import { streamedUpload } from "../tests/support/streamed-upload";
import type { BenchOptions } from "./run";
import { startServerProcess } from "./server-process";
import { biggestJpeg } from "./bench-images";

const mebibyte = 1024 * 1024;
const uploadBytes = 24 * mebibyte;

type Scenario = { name: string; perAccount: number[] };
const scenarios: Scenario[] = [
  { name: "flood: 40 by one account + 4 x 5 others", perAccount: [40, 4, 4, 4, 4, 4] },
  { name: "within bounds: 4 x 4 accounts", perAccount: [4, 4, 4, 4] },
];

type Row = {
  scenario: string;
  sent: number;
  stored: number;
  r429: number;
  r503: number;
  other: number;
  healthFailed: number;
  rssBefore: number;
  peakRss: number;
  healthP50: number;
  healthMax: number;
  seconds: number;
};

export async function run({ imagesDir }: BenchOptions) {
  const input = biggestJpeg(imagesDir);
  // The real photo (decoded in full) followed by zeros up to the upload size of the issue.
  const original = readFileSync(input);
  const body = new Uint8Array(Math.max(uploadBytes, original.length));
  body.set(original);
  console.log(
    `Input: ${path.basename(input)} (${(original.length / mebibyte).toFixed(1)} MB) padded to ${(body.length / mebibyte).toFixed(0)} MB.`,
  );

  const server = await startServerProcess({ UPLOAD_MAX_BYTES: String(25 * mebibyte) });
  try {
    const users: TestUser[] = [];
    for (let i = 0; i < 6; i++) users.push(await signUpAndIn(server.baseUrl));
    // Warm-up: code paths, sharp, the database.
    await upload(users[0]!, body);
    const rows: Row[] = [];
    for (const scenario of scenarios) rows.push(await measure(scenario, users, body, server));
    printTable(rows);
    console.log(
      "\nPeak RSS is the server process's VmHWM during the scenario (the client runs in another process). " +
        "Health: GET /api/health every 100 ms during the scenario. 429: over the account's bound; 503: over the process's.",
    );
  } finally {
    await server.close();
  }
}

/** The answer's status, or 0 when the connection failed (a server that fell over). */
async function upload(user: TestUser, body: Uint8Array): Promise<number> {
  try {
    const response = await user.request("/api/v1/assets", streamedUpload(body, "big.jpg"));
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

async function measure(
  scenario: Scenario,
  users: TestUser[],
  body: Uint8Array,
  server: Awaited<ReturnType<typeof startServerProcess>>,
): Promise<Row> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssBefore = server.rssMb();
  server.resetPeak();
  const health: number[] = [];
  let healthFailed = 0;
  let running = true;
  const pinger = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await fetch(`${server.baseUrl}/api/health`).then(
        (r) => r.arrayBuffer().then(() => r.ok),
        () => false,
      );
      if (ok) health.push(performance.now() - started);
      else healthFailed += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  const statuses = (
    await Promise.all(scenario.perAccount.flatMap((n, i) => Array.from({ length: n }, () => upload(users[i]!, body))))
  ).flat();
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await pinger;
  health.sort((a, b) => a - b);
  const count = (status: number) => statuses.filter((s) => s === status).length;
  return {
    scenario: scenario.name,
    sent: statuses.length,
    stored: count(201),
    r429: count(429),
    r503: count(503),
    other: statuses.filter((s) => ![201, 429, 503].includes(s)).length,
    healthFailed,
    rssBefore,
    peakRss: server.peakRssMb(),
    healthP50: health[Math.floor(health.length / 2)] ?? Number.NaN,
    healthMax: health.at(-1) ?? Number.NaN,
    seconds,
  };
}

function printTable(rows: Row[]) {
  const header = [
    "scenario",
    "sent",
    "201",
    "429",
    "503",
    "other",
    "RSS before MB",
    "peak RSS MB",
    "health p50 ms",
    "health max ms",
    "health failed",
    "wall s",
  ];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.sent),
    String(r.stored),
    String(r.r429),
    String(r.r503),
    String(r.other),
    r.rssBefore.toFixed(0),
    r.peakRss.toFixed(0),
    r.healthP50.toFixed(0),
    r.healthMax.toFixed(0),
    String(r.healthFailed),
    r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? `-${"-".repeat(w)}-` : `-${"-".repeat(w)}:`)).join("|")}|`);
  for (const row of cells) console.log(line(row));
}

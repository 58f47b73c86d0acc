// Another account's small upload while one account floods /i/ with chained renders of its own
// big photo (issue 9: three 60-step chains on a 25 MP image made a 718-byte upload wait 50 s).
// Chains are 10 steps now (the cap); the server runs in a child process.
// `npm run bench -- [images-folder] chain-fairness`.
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { signUpAndIn, uploadBody } from "../tests/support/client";
import type { BenchOptions } from "./run";
import { startServerProcess } from "./server-process";
import { biggestJpeg } from "./bench-images";

const floods = [0, 3, 6];
const repeats = 2;

function chain(variant: number): string {
  const colour = (variant % 0xffffff).toString(16).padStart(6, "0");
  return [
    `bg-${colour},e-grayscale`,
    "bl-3",
    "e-sharpen-20",
    "rt-90",
    "fl-h",
    "bl-2",
    "rt-270",
    "e-sharpen-10",
    "fl-v",
    "f-jpg",
  ].join(":");
}

type Row = { flood: number; uploadMs: number[]; rendersBefore: number[]; renderS: number; statuses: string };

export async function run({ imagesDir }: BenchOptions) {
  const input = biggestJpeg(imagesDir);
  const meta = await sharp(input).metadata();
  // The small upload of the issue: a few hundred bytes.
  const tiny = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#3366aa" } })
    .png()
    .toBuffer();
  console.log(
    `Flooder's image: ${path.basename(input)} (${meta.width}x${meta.height}); the other account uploads a ${tiny.length}-byte PNG.`,
  );

  const server = await startServerProcess({ UPLOAD_MAX_BYTES: String(64 * 1024 * 1024) });
  try {
    const flooder = await signUpAndIn(server.baseUrl);
    const other = await signUpAndIn(server.baseUrl);
    const upload = await flooder.json<{ asset: { id: string } }>(
      "/api/v1/assets",
      uploadBody(readFileSync(input), path.basename(input)),
    );
    if (upload.status !== 201) throw new Error(`upload failed: ${upload.status}`);
    const id = upload.body.asset.id;
    let variant = 1;
    const rows: Row[] = [];
    for (const flood of floods) {
      const row: Row = { flood, uploadMs: [], rendersBefore: [], renderS: 0, statuses: "" };
      const statuses = new Map<number, number>();
      let renderTotal = 0;
      for (let r = 0; r < repeats; r++) {
        const order: string[] = [];
        const renders = Array.from({ length: flood }, async () => {
          const started = performance.now();
          const response = await flooder.request(`/i/${id}/tr:${chain(variant++)}`);
          await response.arrayBuffer();
          order.push("render");
          renderTotal += performance.now() - started;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        });
        // Let the renders reach the CPU queue first.
        if (flood > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
        const started = performance.now();
        const response = await other.request("/api/v1/assets", uploadBody(tiny, "tiny.png", "image/png"));
        await response.arrayBuffer();
        if (response.status !== 201) throw new Error(`small upload: ${response.status}`);
        row.uploadMs.push(performance.now() - started);
        order.push("upload");
        row.rendersBefore.push(order.indexOf("upload"));
        await Promise.all(renders);
      }
      row.renderS = flood > 0 ? renderTotal / (flood * repeats) / 1000 : 0;
      row.statuses = [...statuses].map(([status, n]) => `${n}x${status}`).join(" ") || "-";
      rows.push(row);
    }
    printTable(rows);
    console.log(
      `\nEach row ${repeats} times. "renders ended first": the flooder's renders that finished before the small upload ` +
        "(first come, first served: all of them). Render s: mean latency of one chained render (queue wait included).",
    );
  } finally {
    await server.close();
  }
}

function printTable(rows: Row[]) {
  const header = [
    "chained renders in flight",
    "small upload ms (each run)",
    "renders ended first",
    "render s",
    "render answers",
  ];
  const cells = rows.map((r) => [
    String(r.flood),
    r.uploadMs.map((ms) => ms.toFixed(0)).join(" / "),
    r.rendersBefore.join(" / "),
    r.renderS.toFixed(1),
    r.statuses,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padStart(widths[i]!)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => `-${"-".repeat(w)}:`).join("|")}|`);
  for (const row of cells) console.log(line(row));
}

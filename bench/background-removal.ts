// Background removal end to end (decode, model, mask, encode PNG): Pixelwerk's standard and pro
// vs `removeBackground` of @imgly/background-removal-node (small and medium) on the same files,
// at 1024 px and at 12 MP, with the mask IoU between the two. Each method runs in its own child
// process so its peak RSS is its own.
// `npx tsx bench/background-removal.ts [folder]` or `npm run bench -- [folder] background-removal`.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import sharp from "sharp";
import { cutOutSubject, maskIoU } from "../src/engine/tools/background/cutout";
import { encodeCutout } from "../src/engine/tools/background/remove-background";
import { inferenceThreads, modelDirectory, type BackgroundQuality } from "../src/engine/tools/background/model";

type Method = "standard" | "pro" | "imgly-small" | "imgly-medium";
const methods: Method[] = ["standard", "pro", "imgly-small", "imgly-medium"];
const sizes = ["1024", "12MP"] as const;
type SizeName = (typeof sizes)[number];
/** Our quality and the imgly model it compares with (standard is the int8 "small" ISNet). */
const pairs: [Method, Method][] = [
  ["standard", "imgly-small"],
  ["pro", "imgly-medium"],
];

type ChildResult = {
  loadMs: number;
  runs: { file: string; size: SizeName; ms: number; cpuMs: number }[];
  peakRssMb: number;
};

/** Linux keeps the peak RSS in VmHWM; writing 5 to clear_refs resets it to the current RSS. */
function resetPeak() {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // not Linux: the peak then includes the start
  }
}
function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match?.[1]) return Number(match[1]) / 1024;
  } catch {
    // fall through
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

/** One end-to-end removal; answers the PNG and the mask it carries. */
async function removeOnce(method: Method, bytes: Buffer, mime: string): Promise<Buffer> {
  if (method === "standard" || method === "pro") {
    const cutout = await cutOutSubject(bytes, { quality: method as BackgroundQuality });
    await encodeCutout(cutout, { format: "png" });
    return cutout.mask.data;
  }
  const { removeBackground } = await import("@imgly/background-removal-node");
  const blob = await removeBackground(new Blob([new Uint8Array(bytes)], { type: mime }), {
    model: method === "imgly-small" ? "small" : "medium",
    publicPath: pathToFileURL(modelDirectory()).href + "/",
    output: { format: "image/png" },
  } as Parameters<typeof removeBackground>[1]);
  return sharp(Buffer.from(await blob.arrayBuffer()))
    .extractChannel(3)
    .raw()
    .toBuffer();
}

async function child(method: Method, inputsDir: string, masksDir: string) {
  const files = readdirSync(inputsDir).sort();
  // The first run loads the model: timed apart, then every input is timed once.
  const warmup = files[0]!;
  let started = performance.now();
  await removeOnce(method, readFileSync(path.join(inputsDir, warmup)), "image/jpeg");
  const loadMs = performance.now() - started;
  resetPeak();
  const runs: ChildResult["runs"] = [];
  for (const file of files) {
    const bytes = readFileSync(path.join(inputsDir, file));
    started = performance.now();
    const cpu = process.cpuUsage(); // every thread of the process: the model's too
    const mask = await removeOnce(method, bytes, "image/jpeg");
    const used = process.cpuUsage(cpu);
    runs.push({
      file,
      size: file.startsWith("12MP") ? "12MP" : "1024",
      ms: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
    });
    writeFileSync(path.join(masksDir, `${method}--${file}.raw`), mask);
  }
  const result: ChildResult = { loadMs, runs, peakRssMb: peakRssMb() };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** The inputs: each image at 1024 px on its longer side and at 12 MP, as JPEG q90. */
async function prepareInputs(imagesDir: string, inputsDir: string): Promise<string[]> {
  const images = readdirSync(imagesDir)
    .filter((f) => /\.(jpe?g|png|webp)$/i.test(f))
    .sort();
  if (images.length === 0) throw new Error(`no images in ${imagesDir}`);
  for (const image of images) {
    const source = sharp(path.join(imagesDir, image)).rotate();
    const { width = 1, height = 1 } = await source.metadata();
    const base = path.parse(image).name;
    const long = await source.clone().resize(1024, 1024, { fit: "inside" }).jpeg({ quality: 90 }).toBuffer();
    writeFileSync(path.join(inputsDir, `1024--${base}.jpg`), long);
    const scale = Math.sqrt(12_000_000 / (width * height));
    const big = await source
      .clone()
      .resize(Math.round(width * scale), Math.round(height * scale), { fit: "fill" })
      .jpeg({ quality: 90 })
      .toBuffer();
    writeFileSync(path.join(inputsDir, `12MP--${base}.jpg`), big);
  }
  return images;
}

function runChild(method: Method, inputsDir: string, masksDir: string): ChildResult {
  const script = new URL(import.meta.url).pathname;
  const result = spawnSync(process.execPath, [...process.execArgv, script, "--child", method, inputsDir, masksDir], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (result.status !== 0 || !line)
    throw new Error(`${method} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(line.slice("RESULT ".length)) as ChildResult;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export async function run({ imagesDir }: { imagesDir: string }) {
  const work = mkdtempSync(path.join(tmpdir(), "bench-bg-"));
  const inputsDir = path.join(work, "inputs");
  const masksDir = path.join(work, "masks");
  for (const dir of [inputsDir, masksDir]) mkdirSync(dir, { recursive: true });
  try {
    const images = await prepareInputs(imagesDir, inputsDir);
    console.log(
      `${images.length} images (${images.join(", ")}); ${availableParallelism()} cores; ` +
        `Pixelwerk: onnxruntime-node in a worker thread, ${inferenceThreads()} intra-op thread(s), sharp pre/post; ` +
        `imgly: its own pipeline (pure-JS resizes), onnxruntime's default threads.`,
    );
    const results = new Map<Method, ChildResult>();
    for (const method of methods) {
      process.stderr.write(`running ${method}…\n`);
      results.set(method, runChild(method, inputsDir, masksDir));
    }
    console.log(
      "\n| method | input | ms / image (mean) | min–max ms | CPU ms / image | first run incl. model load (ms) | peak RSS (MB) |",
    );
    console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (const method of methods) {
      const result = results.get(method)!;
      for (const size of sizes) {
        const runs = result.runs.filter((r) => r.size === size);
        const ms = runs.map((r) => r.ms);
        console.log(
          `| ${method} | ${size} | ${mean(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} | ` +
            `${mean(runs.map((r) => r.cpuMs)).toFixed(0)} | ` +
            `${size === "1024" ? result.loadMs.toFixed(0) : ""} | ${size === "1024" ? result.peakRssMb.toFixed(0) : ""} |`,
        );
      }
    }
    // Per image: a photo without a clear subject (a landscape, a texture) has no right answer.
    const files = readdirSync(inputsDir).sort();
    console.log(`\n| mask IoU | ${pairs.map(([ours, theirs]) => `${ours} vs ${theirs}`).join(" | ")} |`);
    console.log(`| --- | ${pairs.map(() => "---:").join(" | ")} |`);
    const all = pairs.map(() => [] as number[]);
    for (const file of files) {
      const ious = pairs.map(([ours, theirs]) =>
        maskIoU(
          readFileSync(path.join(masksDir, `${ours}--${file}.raw`)),
          readFileSync(path.join(masksDir, `${theirs}--${file}.raw`)),
        ),
      );
      ious.forEach((iou, i) => all[i]!.push(iou));
      console.log(`| ${file.replace(/\.jpg$/, "")} | ${ious.map((iou) => iou.toFixed(4)).join(" | ")} |`);
    }
    console.log(`| mean | ${all.map((ious) => mean(ious).toFixed(4)).join(" | ")} |`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const main =
    args[0] === "--child"
      ? child(args[1] as Method, args[2]!, args[3]!)
      : run({
          imagesDir: path.resolve(args[0] ?? path.join(import.meta.dirname, "..", "..", "shared", "bench-images")),
        });
  main.then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

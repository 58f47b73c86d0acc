// `npm run bench -- [images-folder] [name…]`: runs every bench/*.ts module that exports `run()`,
// one after the other, each printing its own table. Not part of `npm test`.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** What every benchmark module receives. Images are never committed: pass a folder. */
export type BenchOptions = { imagesDir: string };

export type BenchModule = { run?: (options: BenchOptions) => Promise<unknown> };

const benchDir = import.meta.dirname;

async function main() {
  // Before any module creates the logger: a benchmark's output is its table.
  process.env.LOG_LEVEL ??= "warn";
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  const folderArg = args.find((arg) => existsSync(arg));
  const only = args.filter((arg) => arg !== folderArg);
  const imagesDir = path.resolve(folderArg ?? path.join(benchDir, "..", "..", "shared", "bench-images"));
  if (!existsSync(imagesDir)) throw new Error(`no benchmark images at ${imagesDir}: pass a folder of images`);

  const modules = readdirSync(benchDir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && file !== "run.ts")
    .filter((file) => only.length === 0 || only.includes(path.basename(file, ".ts")))
    .sort();
  console.log(`Benchmarks: ${modules.join(", ") || "(none)"} on ${imagesDir}`);
  for (const file of modules) {
    const bench = (await import(pathToFileURL(path.join(benchDir, file)).href)) as BenchModule;
    if (typeof bench.run !== "function") continue;
    console.log(`\n## ${path.basename(file, ".ts")}\n`);
    const started = performance.now();
    await bench.run({ imagesDir });
    console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  // Runtimes (database, queue, model sessions) may keep handles open; the run is over.
  process.exit(0);
}

// Only as the entry point: modules may import the types above.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

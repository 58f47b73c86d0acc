// Shared by the benchmarks: which of the benchmark images to use. Not a benchmark itself (no run()).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** The largest JPEG in the folder: the worst case a real user uploads. */
export function biggestJpeg(imagesDir: string): string {
  const files = readdirSync(imagesDir)
    .filter((file) => /\.jpe?g$/i.test(file))
    .map((file) => path.join(imagesDir, file));
  if (files.length === 0) throw new Error(`no JPEGs in ${imagesDir}`);
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

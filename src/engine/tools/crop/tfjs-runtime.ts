import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TfCore from "@tensorflow/tfjs-core";
import type * as TfWasm from "@tensorflow/tfjs-backend-wasm";

export type Tf = typeof TfCore;

/**
 * Everything TensorFlow.js is loaded with Node's own require from the project's node_modules, never
 * through a bundler: the face detector (@vladmandic/human) requires tfjs-core itself, and a second,
 * bundled copy would be a different engine without our backend. Resolved from the working
 * directory, which is the project root for the server, the worker and the tests.
 */
export const nodeRequire = createRequire(path.join(process.cwd(), "package.json"));

/** The folder of an installed package (found through its main entry: some export no package.json). */
export function packageDir(name: string): string {
  const main = nodeRequire.resolve(name);
  const marker = path.join("node_modules", name);
  const at = main.lastIndexOf(marker);
  if (at < 0) throw new Error(`${name} is not installed under node_modules`);
  return main.slice(0, at + marker.length);
}

/** Where the WASM binaries ship inside @tensorflow/tfjs-backend-wasm (no download at run time). */
export function wasmDir(): string {
  return path.join(packageDir("@tensorflow/tfjs-backend-wasm"), "dist") + path.sep;
}

let ready: Promise<Tf> | undefined;

/**
 * One TensorFlow.js engine per process on the WASM backend (SIMD, one thread in Node): it installs
 * offline, unlike tfjs-node whose install downloads a native library. Models load from files.
 */
export function loadTfjs(): Promise<Tf> {
  ready ??= startTfjs().catch((error: unknown) => {
    ready = undefined; // let a later job try again instead of failing forever
    throw error;
  });
  return ready;
}

async function startTfjs(): Promise<Tf> {
  const tf = nodeRequire("@tensorflow/tfjs-core") as Tf;
  const wasm = nodeRequire("@tensorflow/tfjs-backend-wasm") as typeof TfWasm;
  if (tf.getBackend() !== "wasm") {
    wasm.setWasmPaths(wasmDir());
    if (!(await tf.setBackend("wasm"))) throw new Error("the TensorFlow.js WASM backend did not start");
  }
  await tf.ready();
  tf.enableProdMode(); // no per-op NaN checks
  registerFileLoader(tf);
  return tf;
}

let fileLoaderRegistered = false;

/** tfjs-core only loads models over http(s); node_modules models are read as file:// URLs. */
function registerFileLoader(tf: Tf) {
  if (fileLoaderRegistered) return;
  fileLoaderRegistered = true;
  tf.io.registerLoadRouter((url): TfCore.io.IOHandler => {
    const target = Array.isArray(url) ? url[0] : url;
    // Routers answer null for URLs they do not handle (tfjs' own http router does the same).
    if (typeof target !== "string" || !target.startsWith("file://")) return null as unknown as TfCore.io.IOHandler;
    const file = decodeURIComponent(target.slice("file://".length));
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, "utf8")) as TfCore.io.ModelJSON;
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs = manifest.flatMap((group) => group.weights);
          const shards = await Promise.all(
            manifest.flatMap((group) => group.paths).map((shard) => readFile(path.join(path.dirname(file), shard))),
          );
          const all = Buffer.concat(shards);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}

/** A file:// URL of a path, the form the loader above accepts. */
export function fileUrl(file: string): string {
  return "file://" + file;
}

/** Lets the event loop breathe between heavy synchronous WASM calls (HTTP shares this process). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

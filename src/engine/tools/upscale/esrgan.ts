import path from "node:path";
import type * as TfLayers from "@tensorflow/tfjs-layers";
import type { Tensor } from "@tensorflow/tfjs-core";
import { fileUrl, loadTfjs, nodeRequire, packageDir, yieldToEventLoop } from "../crop/tfjs-runtime";

export type AiScale = 2 | 4;

/**
 * ESRGAN "slim" (a residual dense network, ~0.9 MB per scale) from @upscalerjs/esrgan-slim: the
 * weights ship in the npm package, the model runs on TensorFlow.js WASM. Input and output are RGB
 * in 0..255.
 */
const models = new Map<AiScale, Promise<TfLayers.LayersModel>>();

function loadModel(scale: AiScale): Promise<TfLayers.LayersModel> {
  let model = models.get(scale);
  if (!model) {
    model = (async () => {
      await loadTfjs();
      const layers = nodeRequire("@tensorflow/tfjs-layers") as typeof TfLayers;
      const file = path.join(packageDir("@upscalerjs/esrgan-slim"), "models", `x${scale}`, "model.json");
      return layers.loadLayersModel(fileUrl(file));
    })().catch((error: unknown) => {
      models.delete(scale);
      throw error;
    });
    models.set(scale, model);
  }
  return model;
}

/**
 * Tiles keep memory bounded whatever the image size (a 128 px tile at 4x peaks at ~80 MB of
 * activations). Each tile gets 12 px of real neighbours on every side, more than the network's
 * receptive field (10 px), so the seams are invisible: tiled output equals whole-image output.
 */
export const tileSide = 128;
export const tilePad = 12;

export type SuperResolveOptions = {
  scale: AiScale;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => Promise<void> | void;
  tile?: number;
};

/** Upscales packed RGB pixels (width × height × 3) tile by tile; returns packed RGB, scale× larger. */
export async function superResolve(
  rgb: Buffer,
  width: number,
  height: number,
  options: SuperResolveOptions,
): Promise<Buffer> {
  const { scale } = options;
  const tile = options.tile ?? tileSide;
  const model = await loadModel(scale);
  const tf = await loadTfjs();
  const outWidth = width * scale;
  const output = Buffer.alloc(outWidth * height * scale * 3);
  const tiles = Math.ceil(width / tile) * Math.ceil(height / tile);
  let done = 0;

  for (let ty = 0; ty < height; ty += tile) {
    for (let tx = 0; tx < width; tx += tile) {
      options.signal?.throwIfAborted();
      const core = { x: tx, y: ty, width: Math.min(tile, width - tx), height: Math.min(tile, height - ty) };
      const x0 = Math.max(0, core.x - tilePad);
      const y0 = Math.max(0, core.y - tilePad);
      const x1 = Math.min(width, core.x + core.width + tilePad);
      const y1 = Math.min(height, core.y + core.height + tilePad);
      const patch = readPatch(rgb, width, x0, y0, x1 - x0, y1 - y0);

      const result = tf.tidy(() => {
        const input = tf.tensor4d(patch, [1, y1 - y0, x1 - x0, 3]);
        const predicted = model.predict(input) as Tensor;
        return tf.cast(tf.round(tf.clipByValue(predicted, 0, 255)), "int32");
      });
      const pixels = await result.data();
      result.dispose();

      // Keep only the core of the tile: its padding was context, not output.
      const patchOutWidth = (x1 - x0) * scale;
      const offsetX = (core.x - x0) * scale;
      const offsetY = (core.y - y0) * scale;
      for (let row = 0; row < core.height * scale; row++) {
        const from = ((offsetY + row) * patchOutWidth + offsetX) * 3;
        const to = ((core.y * scale + row) * outWidth + core.x * scale) * 3;
        for (let i = 0; i < core.width * scale * 3; i++) output[to + i] = pixels[from + i]!;
      }
      done += 1;
      await options.onProgress?.(done / tiles);
      // One tile is a few hundred ms of synchronous WASM: let HTTP requests through in between.
      await yieldToEventLoop();
    }
  }
  return output;
}

function readPatch(
  rgb: Buffer,
  width: number,
  x: number,
  y: number,
  patchWidth: number,
  patchHeight: number,
): Float32Array {
  const patch = new Float32Array(patchWidth * patchHeight * 3);
  for (let row = 0; row < patchHeight; row++) {
    const from = ((y + row) * width + x) * 3;
    for (let i = 0; i < patchWidth * 3; i++) patch[row * patchWidth * 3 + i] = rgb[from + i]!;
  }
  return patch;
}

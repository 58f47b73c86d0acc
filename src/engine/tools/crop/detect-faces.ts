import path from "node:path";
import type { Tensor } from "@tensorflow/tfjs-core";
import { sharp } from "../../sharp";
import { fileUrl, loadTfjs, nodeRequire, packageDir, wasmDir } from "./tfjs-runtime";

/** A face in the pixel coordinates of the (auto-oriented) input image. */
export type FaceBox = { x: number; y: number; width: number; height: number; score: number };

export type FaceDetection = {
  faces: FaceBox[];
  /** The auto-oriented size of the input, the space the boxes are in. */
  width: number;
  height: number;
  /** Time spent in the model, for the job result and benchmarks. */
  ms: number;
};

/** BlazeFace sees 256 px anyway; decoding a 24 MP photo at full size would only cost memory. */
const detectionSide = 640;
const minScore = 0.5;
const grey = "#808080";

type HumanResult = { face: { box: [number, number, number, number]; score: number }[]; error?: string | null };
type HumanInstance = { load(): Promise<void>; detect(input: Tensor): Promise<HumanResult> };
type HumanModule = { Human: new (config: Record<string, unknown>) => HumanInstance };

let human: Promise<HumanInstance> | undefined;
// Human keeps per-call state (and WASM runs one call at a time anyway): one detection at a time.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Finds faces with BlazeFace (the "back" model that ships inside @vladmandic/human, for faces at
 * any distance), on the TensorFlow.js WASM backend. Sorted by size, largest first.
 */
export async function detectFaces(input: Buffer): Promise<FaceDetection> {
  const { data, info, fitted, original } = await decodeForDetection(input);
  const detector = await loadDetector();
  const tf = await loadTfjs();
  const run = queue.then(async () => {
    const started = performance.now();
    const tensor = tf.tensor4d(new Int32Array(data), [1, info.height, info.width, 3], "int32");
    try {
      const result = await detector.detect(tensor);
      if (result.error) throw new Error(`face detection failed: ${result.error}`);
      return { result, ms: performance.now() - started };
    } finally {
      tensor.dispose();
    }
  });
  queue = run.catch(() => undefined);
  const { result, ms } = await run;

  // Boxes come in the downscaled frame: map them back to the input's pixels.
  const sx = original.width / fitted.width;
  const sy = original.height / fitted.height;
  const boxes: FaceBox[] = result.face
    .filter((face) => face.score >= minScore)
    .map((face) => {
      const [x, y, width, height] = face.box;
      return clampBox(
        { x: x * sx, y: y * sy, width: width * sx, height: height * sy, score: round2(face.score) },
        original.width,
        original.height,
      );
    })
    .filter((box) => box.width >= 4 && box.height >= 4)
    .sort((a, b) => b.width * b.height - a.width * a.height);
  return { faces: boxes, width: original.width, height: original.height, ms: Math.round(ms) };
}

async function decodeForDetection(input: Buffer) {
  const source = sharp(input, { failOn: "error", autoOrient: true });
  const meta = await source.metadata();
  const original = meta.autoOrient ?? { width: meta.width ?? 0, height: meta.height ?? 0 };
  if (!original.width || !original.height) throw new Error("the image has no size");
  const fitted = await source
    .resize(detectionSide, detectionSide, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: grey }) // transparent areas read as neutral grey, not black
    .toColourspace("srgb")
    .removeAlpha()
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  // The model squeezes its input into a square: a banner's faces would come out a quarter as wide
  // and go unseen. Letterboxing to a square keeps them in proportion (boxes stay top-left based).
  const side = Math.max(fitted.info.width, fitted.info.height);
  const { data, info } = await sharp(fitted.data, {
    raw: { width: fitted.info.width, height: fitted.info.height, channels: 3 },
  })
    .extend({ right: side - fitted.info.width, bottom: side - fitted.info.height, background: grey })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return { data, info, fitted: fitted.info, original };
}

/** One detector per process, created on first use (model load ~50 ms, ~0.5 MB of weights). */
function loadDetector(): Promise<HumanInstance> {
  human ??= createDetector().catch((error: unknown) => {
    human = undefined;
    throw error;
  });
  return human;
}

async function createDetector(): Promise<HumanInstance> {
  await loadTfjs();
  const humanDir = packageDir("@vladmandic/human");
  // The package's export map spells this entry without "./", which Node rejects: require the file.
  const { Human } = nodeRequire(path.join(humanDir, "dist", "human.node-wasm.js")) as HumanModule;
  const detector = new Human({
    backend: "wasm",
    wasmPath: wasmDir(),
    modelBasePath: fileUrl(path.join(humanDir, "models") + path.sep),
    debug: false,
    warmup: "none",
    cacheModels: false,
    // Human is built for video: it reuses results between similar frames. Every call here is a
    // different image, so all caching is off.
    cacheSensitivity: 0,
    face: {
      enabled: true,
      // scale 1: the detector's own box, not Human's enlarged crop for its mesh model.
      detector: {
        enabled: true,
        rotation: false,
        maxDetected: 20,
        minConfidence: minScore,
        skipFrames: 0,
        skipTime: 0,
        scale: 1,
        return: false,
      },
      mesh: { enabled: false },
      iris: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  });
  await detector.load();
  return detector;
}

function clampBox(box: FaceBox, width: number, height: number): FaceBox {
  const x = Math.max(0, Math.min(width, box.x));
  const y = Math.max(0, Math.min(height, box.y));
  return {
    x: Math.round(x),
    y: Math.round(y),
    width: Math.round(Math.min(width, box.x + box.width) - x),
    height: Math.round(Math.min(height, box.y + box.height) - y),
    score: box.score,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

import "server-only";
import { fromRaw, type FaceBox, type FaceLocator } from "./image-focus";

/** The detector works at 640 px at most; a smaller copy is all it needs to see. */
const detectionSide = 640;

/**
 * fo-face through the crop tools' face detector (BlazeFace on TensorFlow.js WASM). Loaded on first
 * use, so servers that never see fo-face never load the model. A detector that fails to load
 * (e.g. a broken install) reports no face, and the crop falls back to attention like a photo
 * without faces; the error is passed to `onError` for the log.
 */
export function createFaceLocator(onError: (error: unknown) => void = () => undefined): FaceLocator {
  return async (raw) => {
    try {
      const { detectFaces } = await import("@/engine/tools/crop/detect-faces");
      const preview = await fromRaw(raw)
        .resize(detectionSide, detectionSide, { fit: "inside", withoutEnlargement: true })
        .png({ compressionLevel: 1 })
        .toBuffer();
      const detection = await detectFaces(preview);
      const scale = raw.info.width / detection.width;
      return detection.faces.map((face): FaceBox => ({
        x: face.x * scale,
        y: face.y * scale,
        width: face.width * scale,
        height: face.height * scale,
      }));
    } catch (error) {
      onError(error);
      return [];
    }
  };
}

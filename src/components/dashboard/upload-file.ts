import { ApiError, toApiError } from "../api/client";
import type { Asset } from "../api/types";

const MAX_TRIES = 5;

/**
 * POST /api/v1/assets. A busy server (429 or 503 with Retry-After: too many uploads at once) is
 * asked again after the time it names, a few times, before the error reaches the user.
 */
export async function uploadFile(file: File, onProgress: (percent: number) => void): Promise<Asset> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendFile(file, onProgress);
    } catch (error) {
      const wait = error instanceof BusyError ? error.retryAfterSeconds : undefined;
      if (wait === undefined || attempt >= MAX_TRIES) throw error instanceof BusyError ? error.cause : error;
      onProgress(0);
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 30) * 1000));
    }
  }
}

class BusyError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    override readonly cause: ApiError,
  ) {
    super("busy");
  }
}

/** One try with XMLHttpRequest, because fetch cannot report upload progress. */
function sendFile(file: File, onProgress: (percent: number) => void): Promise<Asset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/assets");
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        // Not JSON (a proxy's error page, say): the status decides below.
      }
      const asset = (body as { asset?: Asset } | null)?.asset;
      const retryAfter = Number(xhr.getResponseHeader("retry-after"));
      if (xhr.status >= 200 && xhr.status < 300 && asset) resolve(asset);
      else if ((xhr.status === 429 || xhr.status === 503) && retryAfter > 0) {
        reject(new BusyError(retryAfter, toApiError(xhr.status, body, "")));
      } else reject(toApiError(xhr.status, body, ""));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network_error", "")));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

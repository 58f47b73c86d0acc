import { ApiError, toApiError } from "../api/client";
import type { Asset } from "../api/types";

/** POST /api/v1/assets with XMLHttpRequest, because fetch cannot report upload progress. */
export function uploadFile(file: File, onProgress: (percent: number) => void): Promise<Asset> {
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
      if (xhr.status >= 200 && xhr.status < 300 && asset) resolve(asset);
      else reject(toApiError(xhr.status, body, ""));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network_error", "")));
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

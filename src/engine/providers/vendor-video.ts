import { sharp } from "../sharp";
import type { ImageToVideoOptions } from "./capability-options";
import { isProviderError, type ProviderError } from "./errors";
import { closestRatio } from "./image-request";
import type { ToolContext } from "./types";
import type { PollTiming } from "./vendor-task";

/**
 * What the OpenAI (Sora) and Google (Veo) video paths share: both submit a long task, save its id,
 * poll it (vendor-task.ts) and download an MP4. Vendors offer a few fixed frame sizes and
 * durations; the nearest is used and the result says which.
 */

export type VideoFormat = { aspectRatio: string; width: number; height: number };

/** Videos take minutes: polls start quickly (short clips, tests) and settle at one every 10 s. */
export const videoPollTiming: PollTiming = { firstMs: 500, maxMs: 10_000 };

/** The vendor's format nearest the aspect asked for (a tie goes to the first listed). */
export function nearestFormat(wanted: ImageToVideoOptions["aspectRatio"], formats: VideoFormat[]): VideoFormat {
  const [w, h] = (wanted ?? "16:9").split(":").map(Number) as [number, number];
  const ratio = closestRatio(
    w,
    h,
    formats.map((f) => f.aspectRatio),
  );
  return formats.find((f) => f.aspectRatio === ratio)!;
}

/** The vendor's duration nearest the one asked for; a tie goes to the shorter, so a run never costs more than priced. */
export function nearestDuration(wanted: number, allowed: readonly number[]): number {
  return [...allowed].sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b)[0]!;
}

/** The first frame: the photo cropped to the video's frame, which vendors require or else pad. */
export async function firstFrame(image: Buffer, size: { width: number; height: number }): Promise<Buffer> {
  return sharp(image)
    .autoOrient()
    .resize({ ...size, fit: "cover", position: "attention" })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/**
 * The task a crashed or timed-out attempt saved under `key`, while it can still deliver. One that
 * vanished (404) or failed is forgotten, so the caller submits anew; a refusal would come again, so
 * it ends the job instead of paying for a second try.
 */
export async function resumeSavedTask<T>(
  context: ToolContext,
  key: string,
  read: (id: string) => Promise<T>,
  failureOf: (task: T, id: string) => ProviderError | undefined,
): Promise<T | undefined> {
  const id = context.task.saved?.[key];
  if (typeof id !== "string") return undefined;
  let task: T;
  try {
    task = await read(id);
  } catch (error) {
    if (isProviderError(error) && error.status === 404) {
      await context.task.save({});
      return undefined;
    }
    throw error;
  }
  const failure = failureOf(task, id);
  if (!failure) return task;
  await context.task.save({});
  if (failure.failure === "blocked") throw failure;
  return undefined;
}

/**
 * The frame size an MP4 declares in its video track's header (moov/trak/tkhd: width and height as
 * 16.16 fixed point in the last 8 bytes), so the result reports what the vendor really made.
 */
export function mp4FrameSize(data: Buffer): { width: number; height: number } | undefined {
  const moov = childBox(data, 0, data.length, "moov");
  if (!moov) return undefined;
  for (let at = moov.start; at + 8 <= moov.end;) {
    const box = boxAt(data, at, moov.end);
    if (!box) return undefined;
    if (box.type === "trak") {
      const tkhd = childBox(data, box.start, box.end, "tkhd");
      if (tkhd && tkhd.end - tkhd.start >= 8) {
        const width = data.readUInt32BE(tkhd.end - 8) >>> 16;
        const height = data.readUInt32BE(tkhd.end - 4) >>> 16;
        // Audio tracks declare 0 x 0.
        if (width > 0 && height > 0) return { width, height };
      }
    }
    at = box.end;
  }
  return undefined;
}

type Box = { type: string; start: number; end: number };

function childBox(data: Buffer, from: number, to: number, type: string): Box | undefined {
  for (let at = from; at + 8 <= to;) {
    const box = boxAt(data, at, to);
    if (!box) return undefined;
    if (box.type === type) return box;
    at = box.end;
  }
  return undefined;
}

/** One ISO-BMFF box: a 32-bit size (1 = a 64-bit size follows, 0 = to the end) and a 4-letter type. */
function boxAt(data: Buffer, at: number, limit: number): Box | undefined {
  let size = data.readUInt32BE(at);
  const type = data.toString("latin1", at + 4, at + 8);
  let header = 8;
  if (size === 1) {
    if (at + 16 > limit) return undefined;
    size = Number(data.readBigUInt64BE(at + 8));
    header = 16;
  } else if (size === 0) {
    size = limit - at;
  }
  if (size < header || at + size > limit) return undefined;
  return { type, start: at + header, end: at + size };
}

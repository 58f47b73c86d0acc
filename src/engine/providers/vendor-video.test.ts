import { readFileSync } from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { sampleMp4 } from "../../../tests/fakes/openai-videos";
import { firstFrame, mp4FrameSize, nearestDuration, nearestFormat } from "./vendor-video";

const formats = [
  { aspectRatio: "16:9", width: 1280, height: 720 },
  { aspectRatio: "9:16", width: 720, height: 1280 },
];

describe("vendor video helpers", () => {
  it("picks the nearest duration, the shorter on a tie so a run never costs more than priced", () => {
    expect(nearestDuration(5, [4, 8, 12])).toBe(4);
    expect(nearestDuration(10, [4, 8, 12])).toBe(8);
    expect(nearestDuration(5, [4, 6, 8])).toBe(4);
    expect(nearestDuration(10, [4, 6, 8])).toBe(8);
    expect(nearestDuration(7, [4, 6, 8])).toBe(6);
  });

  it("picks the nearest frame format; a square goes to the first listed", () => {
    expect(nearestFormat("9:16", formats)).toMatchObject({ width: 720, height: 1280 });
    expect(nearestFormat("16:9", formats)).toMatchObject({ width: 1280, height: 720 });
    expect(nearestFormat("1:1", formats)).toMatchObject({ aspectRatio: "16:9" });
  });

  it("crops the first frame to the video's exact size", async () => {
    const frame = await firstFrame(readFileSync("tests/fixtures/images/horse.png"), { width: 720, height: 1280 });
    expect(await sharp(frame).metadata()).toMatchObject({ format: "jpeg", width: 720, height: 1280 });
  });

  it("reads the frame size from an MP4's track header, and nothing from bytes without one", () => {
    expect(mp4FrameSize(sampleMp4(1280, 720))).toEqual({ width: 1280, height: 720 });
    expect(mp4FrameSize(sampleMp4(720, 1280))).toEqual({ width: 720, height: 1280 });
    const ftypOnly = sampleMp4(16, 16).subarray(0, 24);
    expect(mp4FrameSize(ftypOnly)).toBeUndefined();
    // A box that claims more bytes than there are is not followed.
    const truncated = sampleMp4(640, 480).subarray(0, 60);
    expect(mp4FrameSize(truncated)).toBeUndefined();
    expect(mp4FrameSize(Buffer.from("not a video at all, just text"))).toBeUndefined();
  });
});

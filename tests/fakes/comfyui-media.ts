/**
 * The smallest structurally valid MP4 (ISO/IEC 14496-12) that says what a video is: `ftyp`, then
 * `moov` with `mvhd` (timescale = fps, duration = frames) and one video `trak` whose `tkhd` holds
 * the frame size, then an empty `mdat`. No samples: enough for a sniffer and for a test to read back
 * the size and length a workflow asked for, without shipping an encoder.
 */
export type Mp4Summary = { width: number; height: number; frames: number; fps: number };

export function tinyMp4(video: Mp4Summary): Buffer {
  const ftyp = box("ftyp", Buffer.concat([Buffer.from("isom"), u32(512), Buffer.from("isomiso2avc1mp41")]));
  const mvhd = box(
    "mvhd",
    Buffer.concat([
      u32(0),
      u32(0),
      u32(0),
      u32(video.fps),
      u32(video.frames),
      u32(0x10000),
      u16(0x100),
      Buffer.alloc(10),
      matrix(),
      Buffer.alloc(24),
      u32(2),
    ]),
  );
  const tkhd = box(
    "tkhd",
    Buffer.concat([
      u32(3), // version 0, flags: enabled + in movie
      u32(0),
      u32(0),
      u32(1), // track id
      u32(0),
      u32(video.frames),
      Buffer.alloc(8),
      u16(0), // layer
      u16(0), // alternate group
      u16(0), // volume: 0 for video
      u16(0),
      matrix(),
      u32(video.width * 0x10000), // 16.16 fixed point
      u32(video.height * 0x10000),
    ]),
  );
  return Buffer.concat([ftyp, box("moov", Buffer.concat([mvhd, box("trak", tkhd)])), box("mdat", Buffer.alloc(0))]);
}

/** Reads back what tinyMp4 wrote (any MP4 with these boxes): frame size, frame count and rate. */
export function readMp4(data: Buffer): Mp4Summary {
  const moov = child(data, "moov");
  const mvhd = child(moov, "mvhd");
  const tkhd = child(child(moov, "trak"), "tkhd");
  const fps = mvhd.readUInt32BE(12);
  return {
    fps,
    frames: mvhd.readUInt32BE(16),
    width: tkhd.readUInt32BE(76) / 0x10000,
    height: tkhd.readUInt32BE(80) / 0x10000,
  };
}

function child(data: Buffer, type: string): Buffer {
  for (let offset = 0; offset + 8 <= data.length;) {
    const size = data.readUInt32BE(offset);
    if (size < 8) break;
    if (data.subarray(offset + 4, offset + 8).toString("latin1") === type)
      return data.subarray(offset + 8, offset + size);
    offset += size;
  }
  throw new Error(`no ${type} box`);
}

function box(type: string, payload: Buffer): Buffer {
  return Buffer.concat([u32(8 + payload.length), Buffer.from(type, "latin1"), payload]);
}

/** The identity transform of mvhd and tkhd. */
function matrix(): Buffer {
  return Buffer.concat([u32(0x10000), u32(0), u32(0), u32(0), u32(0x10000), u32(0), u32(0), u32(0), u32(0x40000000)]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

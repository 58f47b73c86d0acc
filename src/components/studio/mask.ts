// The erase mask: brush strokes kept in the image's own pixels, so the mask sent to the server has
// the image's exact size whatever size the editor is shown at. White = erase (the inpaint
// convention of the capability options), black = keep.

export type Point = { x: number; y: number };
export type Stroke = { radius: number; points: Point[] };

/** The file name of uploaded masks; the studio leaves these out of the uploads to edit. */
export const maskFileName = "erase-mask.png";

/** The brush radius in image pixels for a size in percent of the image's longer side. */
export function brushRadius(sizePercent: number, width: number, height: number): number {
  return Math.max(1, Math.round((Math.max(width, height) * sizePercent) / 200));
}

/** Squared distance from (px, py) to the segment a-b. */
function distanceSquared(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = dx * dx + dy * dy;
  const along = length === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / length));
  const x = a.x + along * dx - px;
  const y = a.y + along * dy - py;
  return x * x + y * y;
}

/**
 * The mask as RGBA pixels (width × height × 4): white where any stroke covers a pixel's centre,
 * black elsewhere, fully opaque. Each segment only visits the pixels of its own bounding box.
 */
export function rasterizeMask(strokes: Stroke[], width: number, height: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let i = 3; i < pixels.length; i += 4) pixels[i] = 255;
  for (const { radius, points } of strokes) {
    const r2 = radius * radius;
    const segments: [Point, Point][] =
      points.length === 1 ? [[points[0]!, points[0]!]] : points.slice(1).map((p, i) => [points[i]!, p]);
    for (const [a, b] of segments) {
      const left = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius));
      const right = Math.min(width - 1, Math.ceil(Math.max(a.x, b.x) + radius));
      const top = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius));
      const bottom = Math.min(height - 1, Math.ceil(Math.max(a.y, b.y) + radius));
      for (let y = top; y <= bottom; y++) {
        for (let x = left; x <= right; x++) {
          if (distanceSquared(x + 0.5, y + 0.5, a, b) > r2) continue;
          const at = (y * width + x) * 4;
          pixels[at] = 255;
          pixels[at + 1] = 255;
          pixels[at + 2] = 255;
        }
      }
    }
  }
  return pixels;
}

/** The mask as a PNG file of the image's size, ready for the upload API (browser only). */
export async function maskPng(strokes: Stroke[], width: number, height: number): Promise<File> {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2d canvas");
  context.putImageData(new ImageData(rasterizeMask(strokes, width, height), width, height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("the mask could not be encoded");
  return new File([blob], maskFileName, { type: "image/png" });
}

/** Draws strokes onto the editor's overlay, scaled from image pixels to the canvas's pixels. */
export function drawStrokes(context: CanvasRenderingContext2D, strokes: Stroke[], scale: number, color: string): void {
  context.fillStyle = color;
  context.strokeStyle = color;
  context.lineCap = "round";
  context.lineJoin = "round";
  for (const { radius, points } of strokes) {
    const [first, ...rest] = points;
    if (!first) continue;
    if (rest.length === 0) {
      context.beginPath();
      context.arc(first.x * scale, first.y * scale, radius * scale, 0, Math.PI * 2);
      context.fill();
      continue;
    }
    context.lineWidth = radius * 2 * scale;
    context.beginPath();
    context.moveTo(first.x * scale, first.y * scale);
    for (const point of rest) context.lineTo(point.x * scale, point.y * scale);
    context.stroke();
  }
}

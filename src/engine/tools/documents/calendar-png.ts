import { sharp } from "../../sharp";
import { pageSize, photoBoxOf, type PageItem } from "./calendar-layout";

/** PNG pages at 150 dpi: sharp enough to print at home, small enough to share. */
export const pngDpi = 150;
const scale = pngDpi / 72;
export const pngPageSize = { width: Math.round(pageSize.width * scale), height: Math.round(pageSize.height * scale) };

// librsvg picks the first installed family; DejaVu and Liberation ship with most Linux images.
const fontFamily = "DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif";

/** The size in pixels the photo of a PNG page is drawn at. */
export function pngPhotoSize(items: PageItem[]) {
  const box = photoBoxOf(items);
  return { width: Math.round(box.width * scale), height: Math.round(box.height * scale) };
}

export type RawPhoto = { data: Buffer; width: number; height: number; channels: 3 };

/** One page: a white sheet, the photo (raw, already at pngPhotoSize), and the text and lines as SVG. */
export async function renderPngPage(items: PageItem[], photo: RawPhoto): Promise<Buffer> {
  const box = photoBoxOf(items);
  return sharp({ create: { ...pngPageSize, channels: 3, background: "#ffffff" } })
    .composite([
      {
        input: photo.data,
        raw: { width: photo.width, height: photo.height, channels: photo.channels },
        left: Math.round(box.x * scale),
        top: Math.round(box.y * scale),
      },
      { input: Buffer.from(pageSvg(items)), left: 0, top: 0 },
    ])
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Everything but the photo, in points, scaled to the page's pixels by the viewBox. */
export function pageSvg(items: PageItem[]): string {
  const anchors = { left: "start", centre: "middle", right: "end" } as const;
  const body = items.map((item) => {
    if (item.kind === "line") {
      return `<line x1="${item.x1}" y1="${item.y1}" x2="${item.x2}" y2="${item.y2}" stroke="${item.colour}" stroke-width="${item.thickness}"/>`;
    }
    if (item.kind === "text") {
      const weight = item.bold ? "bold" : "normal";
      return (
        `<text x="${item.x}" y="${item.y}" font-size="${item.size}" font-weight="${weight}" fill="${item.colour}" ` +
        `text-anchor="${anchors[item.align]}">${escapeXml(item.text)}</text>`
      );
    }
    return "";
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${pngPageSize.width}" height="${pngPageSize.height}" ` +
    `viewBox="0 0 ${pageSize.width} ${pageSize.height}" font-family="${fontFamily}">${body.join("")}</svg>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

import { sharp } from "../../sharp";
import type { ToolOutput } from "../types";
import {
  calendarMonths,
  layoutMonthPage,
  pageSize,
  photoBoxOf,
  type CalendarFormat,
  type CalendarLocale,
} from "./calendar-layout";
import { writeCalendarPdf, type PdfPage } from "./calendar-pdf";
import { pngPageSize, pngPhotoSize, renderPngPage } from "./calendar-png";

export type CalendarOptions = {
  year: number;
  /** 1-12: the month of the first page; later pages may fall in the next year. */
  firstMonth?: number;
  locale?: CalendarLocale;
  /** "pdf": the PDF alone; "png": the PDF and one PNG per page after it. */
  format?: CalendarFormat;
};

export type CalendarHooks = { signal?: AbortSignal; onProgress?: (fraction: number) => Promise<void> };

/** Photos go into the PDF at up to 200 dpi: plenty for print, and the file stays small. */
const printDpi = 200;

/**
 * A printable calendar: twelve A4 landscape pages, each a photo over its month's grid, month and
 * weekday names in the chosen language. `loadPhoto(i)` gives the photo of page i (0-11); photos
 * are loaded one at a time so only one full-size image is in memory.
 */
export async function renderCalendar(
  loadPhoto: (index: number) => Promise<Buffer>,
  options: CalendarOptions,
  hooks: CalendarHooks = {},
): Promise<ToolOutput[]> {
  const locale = options.locale ?? "en";
  const firstMonth = options.firstMonth ?? 1;
  const months = calendarMonths(options.year, firstMonth);
  const pdfPages: PdfPage[] = [];
  const pngPages: ToolOutput[] = [];

  for (const [index, month] of months.entries()) {
    hooks.signal?.throwIfAborted();
    const items = layoutMonthPage(month, locale);
    const box = photoBoxOf(items);
    const photo = await coverCrop(await loadPhoto(index), (box.width / 72) * printDpi, (box.height / 72) * printDpi);
    pdfPages.push({ items, photoJpeg: await photo.clone().jpeg({ quality: 85, progressive: false }).toBuffer() });
    if (options.format === "png") {
      const size = pngPhotoSize(items);
      const onPage = await photo
        .clone()
        .resize({ ...size, fit: "fill" })
        .raw()
        .toBuffer();
      const data = await renderPngPage(items, { data: onPage, ...size, channels: 3 });
      pngPages.push({ data, mime: "image/png", ext: "png", ...pngPageSize });
    }
    await hooks.onProgress?.((index + 1) / (months.length + 1));
  }

  const pdf = await writeCalendarPdf(pdfPages);
  const last = months[months.length - 1]!;
  const meta = { pages: months.length, from: monthKey(months[0]!), to: monthKey(last), locale };
  const pdfOutput: ToolOutput = {
    data: pdf,
    mime: "application/pdf",
    ext: "pdf",
    width: Math.round(pageSize.width),
    height: Math.round(pageSize.height),
    meta,
  };
  return [pdfOutput, ...pngPages];
}

/**
 * Crops the photo to the box's aspect ratio (libvips' attention strategy keeps the interesting
 * part) and shrinks it to the print size; a smaller photo is cropped, never enlarged. Returns an
 * sRGB pipeline over raw pixels, white behind any transparency.
 */
async function coverCrop(input: Buffer, targetWidth: number, targetHeight: number) {
  const source = sharp(input, { failOn: "error" });
  const { width, height } = await source.metadata();
  const enlargement = Math.max(targetWidth / width, targetHeight / height);
  const shrink = Math.max(1, enlargement);
  const size = {
    width: Math.max(1, Math.round(targetWidth / shrink)),
    height: Math.max(1, Math.round(targetHeight / shrink)),
  };
  const { data, info } = await source
    .resize({ ...size, fit: "cover", position: sharp.strategy.attention })
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 3 } });
}

function monthKey({ year, month }: { year: number; month: number }): string {
  return `${year}-${String(month + 1).padStart(2, "0")}`;
}

import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import { pageSize, type PageItem } from "./calendar-layout";

export type PdfPage = { items: PageItem[]; photoJpeg: Buffer };

/**
 * Draws the pages into one PDF. No metadata: no producer, no dates, so the same calendar gives
 * the same bytes. Helvetica is one of the PDF standard fonts (nothing embedded) and its
 * WinAnsi encoding covers the German umlauts.
 */
export async function writeCalendarPdf(pages: PdfPage[]): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  for (const { items, photoJpeg } of pages) {
    const page = doc.addPage([pageSize.width, pageSize.height]);
    const photo = await doc.embedJpg(photoJpeg);
    for (const item of items) drawItem(page, item, fonts, photo);
  }
  return Buffer.from(await doc.save());
}

function drawItem(
  page: PDFPage,
  item: PageItem,
  fonts: { regular: PDFFont; bold: PDFFont },
  photo: Awaited<ReturnType<PDFDocument["embedJpg"]>>,
) {
  // PDF measures y from the bottom of the page; the layout from the top.
  const flip = (y: number) => pageSize.height - y;
  if (item.kind === "photo") {
    page.drawImage(photo, { x: item.x, y: flip(item.y + item.height), width: item.width, height: item.height });
  } else if (item.kind === "line") {
    page.drawLine({
      start: { x: item.x1, y: flip(item.y1) },
      end: { x: item.x2, y: flip(item.y2) },
      thickness: item.thickness,
      color: colourOf(item.colour),
    });
  } else {
    const font = item.bold ? fonts.bold : fonts.regular;
    const width = font.widthOfTextAtSize(item.text, item.size);
    const x = item.align === "left" ? item.x : item.align === "right" ? item.x - width : item.x - width / 2;
    page.drawText(item.text, { x, y: flip(item.y), size: item.size, font, color: colourOf(item.colour) });
  }
}

function colourOf(hex: string) {
  const value = parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255);
}

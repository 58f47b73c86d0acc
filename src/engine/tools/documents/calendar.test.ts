import { inflateSync } from "node:zlib";
import { PDFArray, PDFDocument, PDFRawStream } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { sharp } from "../../sharp";
import { fixture } from "../adjust/test-helpers";
import { renderCalendar } from "./calendar";
import { pngPageSize } from "./calendar-png";

/** The strings each page shows, decoded from the hex strings pdf-lib writes (WinAnsi ≈ Latin-1). */
async function pageTexts(pdf: Buffer): Promise<string[][]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    const operators = streams
      .map((stream) => {
        if (!(stream instanceof PDFRawStream)) throw new Error("expected raw content streams");
        return inflateSync(stream.getContents()).toString("latin1");
      })
      .join("\n");
    return [...operators.matchAll(/<([0-9A-F]+)> Tj/g)].map((m) => Buffer.from(m[1]!, "hex").toString("latin1"));
  });
}

describe("calendar", () => {
  // Small photos of different shapes, one of them transparent, so the test stays quick.
  let photos: Buffer[];
  beforeAll(async () => {
    const sources = ["chelsea.png", "coffee.png", "astronaut.png", "camera.png", "hubble_deep_field.jpg"];
    photos = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sharp(fixture(sources[i % sources.length]!))
          .resize(160)
          .ensureAlpha(i === 3 ? 0.5 : 1)
          .png()
          .toBuffer(),
      ),
    );
  });
  const loadPhoto = async (index: number) => photos[index]!;

  it("makes a 12-page A4 landscape PDF in German starting in November, crossing the year", async () => {
    const progress: number[] = [];
    const outputs = await renderCalendar(
      loadPhoto,
      { year: 2026, firstMonth: 11, locale: "de" },
      {
        onProgress: async (fraction) => void progress.push(fraction),
      },
    );
    expect(outputs).toHaveLength(1);
    const [pdf] = outputs;
    expect(pdf).toMatchObject({ mime: "application/pdf", ext: "pdf", width: 842, height: 595 });
    expect(pdf!.meta).toEqual({ pages: 12, from: "2026-11", to: "2027-10", locale: "de" });
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)).toBeLessThan(1);

    const doc = await PDFDocument.load(pdf!.data, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(12);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([842, 595]);
    // No producer, creator or dates: outputs carry no metadata.
    expect([doc.getProducer(), doc.getCreator(), doc.getCreationDate(), doc.getTitle()]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);

    const texts = await pageTexts(pdf!.data);
    expect(texts.map((page) => page.slice(0, 2).join(" "))).toEqual([
      "November 2026",
      "Dezember 2026",
      "Januar 2027",
      "Februar 2027",
      "März 2027",
      "April 2027",
      "Mai 2027",
      "Juni 2027",
      "Juli 2027",
      "August 2027",
      "September 2027",
      "Oktober 2027",
    ]);
    expect(texts[0]!.slice(2, 9)).toEqual(["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]);
    expect(texts[3]!.filter((t) => /^\d+$/.test(t)).at(-1)).toBe("28"); // February 2027
  });

  it("writes English names with weeks from Sunday, and the PNG pages after the PDF", async () => {
    const outputs = await renderCalendar(loadPhoto, { year: 2028, locale: "en", format: "png" });
    expect(outputs).toHaveLength(13);
    expect(outputs[0]!.mime).toBe("application/pdf");
    const texts = await pageTexts(outputs[0]!.data);
    expect(texts[0]!.slice(0, 9)).toEqual(["January", "2028", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
    expect(texts[1]!.filter((t) => /^\d+$/.test(t)).at(-1)).toBe("29"); // a leap year

    for (const page of outputs.slice(1)) {
      expect(page).toMatchObject({ mime: "image/png", ext: "png", ...pngPageSize });
      const meta = await sharp(page.data).metadata();
      expect(meta).toMatchObject({ format: "png", ...pngPageSize });
      expect(meta.exif).toBeUndefined();
    }
    // A white sheet around the photo, the photo in its box, dark text in the grid.
    const { data, info } = await sharp(outputs[1]!.data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    expect(at(10, 10)).toEqual([255, 255, 255]);
    expect(at(Math.round(info.width / 2), 300)).not.toEqual([255, 255, 255]);
    let inked = 0;
    for (let y = Math.round(info.height * 0.75); y < info.height; y++) {
      for (let x = 0; x < info.width; x++) if (at(x, y)[0]! < 100) inked += 1;
    }
    expect(inked).toBeGreaterThan(2000);
  });

  it("stops when the time limit aborts it", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(renderCalendar(loadPhoto, { year: 2026 }, { signal: controller.signal })).rejects.toThrow();
  });
});

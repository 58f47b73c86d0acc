import { z } from "zod";
import { renderCalendar } from "../../tools/documents/calendar";
import { calendarFormats, calendarLocales } from "../../tools/documents/calendar-layout";
import { defineLocalTool } from "./define-local-tool";

/** Tools that make a document from several assets named in the options. */
export const documentsTools = [
  defineLocalTool({
    capability: "calendar",
    options: z.object({
      /** The twelve asset ids in page order. */
      images: z.array(z.string()).length(12, { message: "a calendar needs 12 images" }),
      year: z.number().int(),
      firstMonth: z.number().int().min(1).max(12).optional(),
      locale: z.enum(calendarLocales).optional(),
      format: z.enum(calendarFormats).optional(),
    }),
    run: async (_input, { images, ...options }, context) =>
      renderCalendar((index) => context.loadAsset(images[index]!), options, {
        signal: context.signal,
        onProgress: context.reportProgress,
      }),
  }),
];

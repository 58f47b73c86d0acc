import { renderCalendar, type CalendarOptions } from "../../tools/documents/calendar";
import type { Provider } from "../types";

export const documentsCapabilities: Provider["capabilities"] = {
  /** Options: the generator's inputs, with `images` the twelve asset ids in page order. */
  calendar: async (_input, options, context) => {
    const images = options.images;
    if (!Array.isArray(images) || images.length !== 12) throw new Error("a calendar needs 12 images");
    return renderCalendar((index) => context.loadAsset(String(images[index])), options as unknown as CalendarOptions, {
      signal: context.signal,
      onProgress: context.reportProgress,
    });
  },
};

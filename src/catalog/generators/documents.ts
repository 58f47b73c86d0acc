import { z } from "zod";
import { calendarFormats, calendarLocales } from "@/engine/tools/documents/calendar-layout";
import type { GeneratorDefinition } from "@/catalog/generator-definition";

const assetId = z.uuid({ message: "must be an asset id" });

/** Generators that turn several images into a document. */
export const documentsGenerators: GeneratorDefinition[] = [
  {
    id: "calendar",
    category: "generators",
    price: 5,
    inputSchema: z.strictObject({
      // In page order: the first image goes with firstMonth. The same image may appear twice.
      images: z.array(assetId).length(12, { message: "must be exactly 12 images, one per month" }),
      year: z.number().int().min(2000).max(2100),
      firstMonth: z.number().int().min(1).max(12).default(1),
      locale: z.enum(calendarLocales).default("en"),
      format: z.enum(calendarFormats).default("pdf"),
    }),
    assetInputs: ["images"],
    steps: [{ capability: "calendar", prefer: ["local"], options: (inputs) => inputs, timeoutSeconds: 180 }],
  },
];

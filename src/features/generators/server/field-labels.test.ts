import { describe, expect, it } from "vitest";
import { generators as catalog } from "@/catalog/generators";
import { createDirectory } from "@/engine/providers/directory";
import { listAdapters } from "@/engine/providers/registry";
import en from "@/messages/en.json";
import { hasMessage, locales } from "@/server/i18n";
import { fieldsOf, localizeSchema, missingLabels } from "./field-labels";
import { inputJsonSchema, listGenerators } from "./registry";

// No keys: the listing still carries every label (availability is tested with the providers).
const directory = createDirectory(listAdapters().map((adapter) => ({ adapter, config: {}, enabled: true })));

describe("labels of the generators' inputs", () => {
  // Adding a generator (or a field, or an enum value) without its labels in every locale fails here.
  const entries = catalog.map((g) => [g.id, g] as const);
  it.each(entries)("%s has a label for every input and choice in every locale", (_id, generator) => {
    const schema = inputJsonSchema(generator);
    expect(fieldsOf(schema).map((field) => field.name)).toEqual(
      expect.arrayContaining(Object.keys(generator.inputSchema.shape)),
    );
    expect(missingLabels(generator.id, schema)).toEqual([]);
    for (const locale of locales) {
      for (const part of ["title", "description"]) {
        expect(hasMessage(locale, `generators.${generator.id}.${part}`), `${locale}: ${part}`).toBe(true);
      }
    }
  });

  it("reports a missing title and a missing choice label in each locale", () => {
    const schema = { type: "object", properties: { noSuchField: { type: "string", enum: ["noSuchValue"] } } };
    const missing = missingLabels("resize", schema);
    expect(missing).toEqual([
      "en: generators.resize.fields.noSuchField or fields.noSuchField",
      "en: generators.resize.values.noSuchField.noSuchValue or values.noSuchField.noSuchValue or values.noSuchValue",
      "de: generators.resize.fields.noSuchField or fields.noSuchField",
      "de: generators.resize.values.noSuchField.noSuchValue or values.noSuchField.noSuchValue or values.noSuchValue",
    ]);
  });

  // (That en and de have the same keys is src/i18n/messages.test.ts's job.)
  it("has no generator-specific label for an input the generator does not have", () => {
    const messages = en as unknown as { generators: Record<string, Record<string, unknown>> };
    for (const generator of catalog) {
      const names = new Set(fieldsOf(inputJsonSchema(generator)).map((field) => field.name));
      const own = messages.generators[generator.id] ?? {};
      for (const ns of ["fields", "hints", "values"]) {
        for (const name of Object.keys((own[ns] as object | undefined) ?? {})) {
          expect(names, `generators.${generator.id}.${ns}.${name}`).toContain(name);
        }
      }
    }
  });

  it("sets localized titles, hints and enum labels on the served schema", () => {
    const [enResize, deResize] = locales.map((locale) =>
      listGenerators({ ctx: { locale }, input: { directory } }).find((g) => g.id === "resize"),
    );
    expect(enResize?.inputSchema.properties?.width).toMatchObject({ title: "Width (px)", type: "integer" });
    expect(deResize?.inputSchema.properties?.width).toMatchObject({ title: "Breite (px)" });
    expect(deResize?.inputSchema.properties?.format).toMatchObject({
      title: "Format",
      enum: ["jpeg", "png", "webp", "avif"],
      "x-enum-labels": { jpeg: "JPEG", png: "PNG", webp: "WebP", avif: "AVIF" },
    });
    expect(deResize?.inputSchema.properties?.fit?.["x-enum-labels"]).toMatchObject({
      cover: expect.stringContaining("Füllen"),
    });

    const deRotate = listGenerators({ ctx: { locale: "de" }, input: { directory } }).find((g) => g.id === "rotate");
    expect(deRotate?.inputSchema.properties?.background).toMatchObject({
      title: "Eckenfarbe",
      description: expect.stringContaining("Ecken"),
    });
  });

  it("prefers a generator's own label to the shared one, and labels choices of unions and arrays", () => {
    const schema = {
      type: "object",
      properties: {
        quality: { type: "string", enum: ["standard", "pro"] },
        radius: { anyOf: [{ type: "integer" }, { type: "string", const: "max" }] },
        locale: { type: "array", items: { type: "string", enum: ["de"] } },
        pages: { type: "array", items: { type: "object", properties: { format: { type: "string", enum: ["pdf"] } } } },
        unknownField: { type: "string" },
      },
    };
    const own = localizeSchema("en", "remove-background", schema).properties ?? {};
    expect(own.quality).toMatchObject({
      title: "Quality",
      "x-enum-labels": { standard: "Standard (smaller model, less memory)", pro: "Pro (best edges)" },
    });
    const shared = localizeSchema("en", "resize", schema).properties ?? {};
    expect(shared.quality?.title).toBe("Quality (1–100)");
    expect(shared.radius).toMatchObject({ title: "Radius (px or max)", "x-enum-labels": { max: expect.any(String) } });
    expect(shared.locale?.items).toMatchObject({ "x-enum-labels": { de: "German" } });
    expect(shared.pages?.items?.properties?.format).toMatchObject({ title: "Format", "x-enum-labels": { pdf: "PDF" } });
    // Nothing to say about an unknown field: left as it is, the form makes its name readable.
    expect(shared.unknownField).toEqual({ type: "string" });
    // The schema passed in is not changed.
    expect(schema.properties.quality).toEqual({ type: "string", enum: ["standard", "pro"] });
  });
});

import "server-only";
import { hasMessage, locales, translate, type Locale } from "@/server/i18n";

// Localized labels for a generator's inputs, set on the JSON Schema that GET /api/v1/generators
// serves: every property gets a `title` (and a `description` when there is a hint), its choices get
// labels in the JSON-Schema extension `x-enum-labels: { value: label }`. Looked up in src/messages,
// the generator's own message first, then the shared one:
//   title   generators.<id>.fields.<field>          fields.<field>
//   hint    generators.<id>.hints.<field>           hints.<field>
//   choice  generators.<id>.values.<field>.<value>  values.<field>.<value>  values.<value>
// A missing message leaves the schema as it was (forms then show the field's name made readable);
// field-labels.test.ts fails when the catalog needs a message that a locale does not have.

/** A JSON Schema node as z.toJSONSchema writes it; only the parts used here are typed. */
export type LabelledSchema = {
  title?: string;
  description?: string;
  enum?: unknown[];
  anyOf?: LabelledSchema[];
  items?: LabelledSchema;
  properties?: Record<string, LabelledSchema>;
  /** Labels of the choices (enum values, a union's constants) in the requested language. */
  "x-enum-labels"?: Record<string, string>;
  [key: string]: unknown;
};

/** The same, as read: nothing about the input is assumed. */
type SchemaNode = {
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: unknown[];
  items?: unknown;
  properties?: Record<string, unknown>;
  "x-enum-labels"?: Record<string, string>;
  [key: string]: unknown;
};

/** One input that needs a label, with the values it offers when it is a choice. */
export type LabelledField = { name: string; values: string[] };

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The choices of a node: its enum, or its union members' enums and constants (`number | "max"`). */
function choicesOf(node: SchemaNode): string[] {
  const members = [node, ...(node.anyOf ?? []).filter(isNode)];
  const values = members.flatMap((member) => [...(member.enum ?? []), ...("const" in member ? [member.const] : [])]);
  return [...new Set(values.filter((v) => typeof v === "string" || typeof v === "number").map(String))];
}

/** Every input of a schema, nested objects and objects in arrays included, with its choices. */
export function fieldsOf(schema: unknown): LabelledField[] {
  if (!isNode(schema) || !isNode(schema.properties)) return [];
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    if (!isNode(property)) return [];
    const items = isNode(property.items) ? property.items : undefined;
    const values = [...choicesOf(property), ...(items && !items.properties ? choicesOf(items) : [])];
    return [{ name, values: [...new Set(values)] }, ...fieldsOf(property), ...fieldsOf(items)];
  });
}

/** Message keys to try, best first. */
export const labelKeys = {
  title: (generatorId: string, field: string) => [`generators.${generatorId}.fields.${field}`, `fields.${field}`],
  hint: (generatorId: string, field: string) => [`generators.${generatorId}.hints.${field}`, `hints.${field}`],
  value: (generatorId: string, field: string, value: string) => [
    `generators.${generatorId}.values.${field}.${value}`,
    `values.${field}.${value}`,
    `values.${value}`,
  ],
};

/** The first of the keys with a message in the locale. */
export function messageKey(locale: Locale, keys: string[]): string | undefined {
  return keys.find((key) => hasMessage(locale, key));
}

function message(locale: Locale, keys: string[]): string | undefined {
  const key = messageKey(locale, keys);
  return key === undefined ? undefined : translate(locale, key);
}

/** The node with `x-enum-labels` for its choices (unchanged when it has none). */
function withChoiceLabels(locale: Locale, generatorId: string, field: string, node: SchemaNode): SchemaNode {
  const labels: Record<string, string> = {};
  for (const value of choicesOf(node)) {
    const label = message(locale, labelKeys.value(generatorId, field, value));
    if (label !== undefined) labels[value] = label;
  }
  return Object.keys(labels).length > 0 ? { ...node, "x-enum-labels": labels } : node;
}

function localizeField(locale: Locale, generatorId: string, field: string, property: SchemaNode): SchemaNode {
  const localized = withChoiceLabels(locale, generatorId, field, localizeSchema(locale, generatorId, property));
  const title = message(locale, labelKeys.title(generatorId, field));
  const hint = message(locale, labelKeys.hint(generatorId, field));
  const result: SchemaNode = { ...localized };
  if (title !== undefined) result.title = title;
  if (hint !== undefined) result.description = hint;
  // Array items: objects get their inputs labelled, choices (an array of enums) their labels.
  if (isNode(property.items)) {
    result.items = property.items.properties
      ? localizeSchema(locale, generatorId, property.items)
      : withChoiceLabels(locale, generatorId, field, property.items);
  }
  return result;
}

/**
 * A copy of a generator's input JSON Schema with localized titles, hints and choice labels on its
 * properties (the schema passed in is left as it is).
 */
export function localizeSchema(locale: Locale, generatorId: string, schema: object): LabelledSchema {
  if (!isNode(schema) || !isNode(schema.properties)) return schema as LabelledSchema;
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, property]) => [
      name,
      isNode(property) ? localizeField(locale, generatorId, name, property) : property,
    ]),
  );
  return { ...schema, properties } as LabelledSchema;
}

/** The messages a generator's inputs need and a locale lacks, as "<locale>: <key> or <key>" lines. */
export function missingLabels(generatorId: string, schema: unknown): string[] {
  const missing: string[] = [];
  for (const locale of locales) {
    for (const field of fieldsOf(schema)) {
      const titles = labelKeys.title(generatorId, field.name);
      if (!messageKey(locale, titles)) missing.push(`${locale}: ${titles.join(" or ")}`);
      for (const value of field.values) {
        const keys = labelKeys.value(generatorId, field.name, value);
        if (!messageKey(locale, keys)) missing.push(`${locale}: ${keys.join(" or ")}`);
      }
    }
  }
  return missing;
}

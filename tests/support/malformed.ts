import { randomBytes, randomUUID } from "node:crypto";

/** A JSON Schema as the OpenAPI document (and /generators' inputSchema) spells it. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maxLength?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

/** A uuid that names nothing: asset fields point here, so an input that is valid by accident still does no work. */
export const absentId = "00000000-0000-4000-8000-000000000000";

/** Raw JSON that JSON.stringify cannot write (1e400 is Infinity once parsed). */
const raw = (text: string) => `\u0000raw:${text}\u0000`;
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:(.*?)\\u0000"/g, "$1");
}

export function resolveRef(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  let current = schema;
  while (current.$ref) current = components[current.$ref.split("/").at(-1)!] ?? {};
  if (current.allOf?.length)
    return Object.assign({}, ...current.allOf.map((s) => resolveRef(s, components))) as JsonSchema;
  return current;
}

function typesOf(schema: JsonSchema): string[] {
  if (schema.const !== undefined) return [typeof schema.const];
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ["object"];
  return [];
}

/** A plausible value of the schema: the base every mutant changes in one place. */
export function skeleton(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): unknown {
  const s = resolveRef(schema, components);
  const variant = s.oneOf?.[0] ?? s.anyOf?.[0];
  if (variant) return skeleton(variant, components, depth);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const type = typesOf(s).find((t) => t !== "null");
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(s.properties ?? {})) out[key] = skeleton(prop, components, depth + 1);
      if (!s.properties && typeof s.additionalProperties === "object" && depth < 3)
        out.x = skeleton(s.additionalProperties, components, depth + 1);
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => skeleton(s.items ?? {}, components, depth + 1));
    case "string":
      if (s.format === "uuid") return absentId;
      if (s.format === "email") return "nobody@example.com";
      if (s.format === "uri" || s.format === "url") return "https://example.com/";
      return "x".repeat(Math.max(3, s.minLength ?? 0));
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return true;
    default:
      return "x";
  }
}

/** Values certainly wrong for the schema (never one its types allow), the most telling first. */
export function wrongValues(schema: JsonSchema, components: Record<string, JsonSchema>): unknown[] {
  const s = resolveRef(schema, components);
  const types = typesOf(s);
  if (s.oneOf || s.anyOf) return [raw("1e400"), [], "\u0000"].filter((v) => !types.length || !allows(types, v));
  const out: unknown[] = [];
  if (s.enum || s.const !== undefined) out.push("not-one-of-the-values");
  if (types.includes("string")) {
    if (s.format === "uuid") out.push("not-a-uuid", "../../etc/passwd", `${absentId}' OR '1'='1`);
    if (s.format === "email") out.push("not-an-email", "a@b@c");
    if (s.format === "date-time" || s.format === "date")
      out.push("+275760-09-13T00:00:00.001Z", "-000001-01-01", "2024-13-45");
    if (s.maxLength !== undefined) out.push("x".repeat(s.maxLength + 1));
    if (s.minLength) out.push("");
  }
  if (types.includes("integer") || types.includes("number")) {
    out.push(raw("99999999999999999999999"), raw("-1e308"), "1");
    if (types.includes("integer")) out.push(1.5);
    if (s.minimum !== undefined) out.push(s.minimum - 1);
  }
  if (types.includes("array")) {
    if (s.maxItems !== undefined && s.maxItems <= 1000)
      out.push(Array.from({ length: s.maxItems + 1 }, () => skeleton(s.items ?? {}, components)));
    if (s.items) for (const item of wrongValues(s.items, components).slice(0, 3)) out.push([item]);
  }
  if (types.includes("object") && typeof s.additionalProperties === "object") {
    for (const item of wrongValues(s.additionalProperties, components).slice(0, 3)) out.push({ x: item });
  }
  const generic = [null, 12345, "%ZZ", [], {}, true, raw("1e400"), "NaN", -1].filter((v) => !allows(types, v));
  // Alternate the schema's own edges with plain wrong types, so the first few are a mix of both.
  const mixed: unknown[] = [];
  for (let i = 0; i < Math.max(out.length, generic.length); i++) {
    if (i < out.length) mixed.push(out[i]);
    if (i < generic.length) mixed.push(generic[i]);
  }
  return mixed;
}

function allows(types: string[], value: unknown): boolean {
  if (types.length === 0) return true;
  if (value === null) return types.includes("null");
  if (Array.isArray(value)) return types.includes("array");
  if (typeof value === "number")
    return types.includes("number") || (types.includes("integer") && Number.isInteger(value));
  if (typeof value === "string")
    return value.startsWith("\u0000raw:")
      ? types.includes("number") || types.includes("integer")
      : types.includes("string");
  return types.includes(typeof value);
}

/**
 * One wrong thing per body: each property (to depth 2) set to each wrong value, each required
 * property left out, an unknown property added, and the body itself of the wrong type.
 */
export function bodyMutants(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  options: { perField?: number; extraKeys?: boolean } = {},
): { label: string; text: string }[] {
  const base = skeleton(schema, components);
  const out: { label: string; text: string }[] = [];
  const visit = (s: JsonSchema, path: string[], depth: number) => {
    const resolved = resolveRef(s, components);
    const variant = resolved.oneOf?.[0] ?? resolved.anyOf?.[0] ?? resolved;
    for (const value of wrongValues(s, components).slice(0, options.perField)) {
      out.push({
        label: `${path.join(".") || "body"}=${toJsonText(value).slice(0, 40)}`,
        text: toJsonText(setAt(base, path, value)),
      });
    }
    if (depth >= 2 || !variant.properties) return;
    // A field with a default may be left out: that request would be valid, not malformed.
    const omittable = (variant.required ?? []).filter(
      (key) => resolveRef(variant.properties![key] ?? {}, components).default === undefined,
    );
    for (const key of omittable)
      out.push({
        label: `without ${[...path, key].join(".")}`,
        text: toJsonText(setAt(base, path, omit(getAt(base, path), key))),
      });
    for (const [key, prop] of Object.entries(variant.properties)) visit(prop, [...path, key], depth + 1);
  };
  visit(schema, [], 0);
  if (options.extraKeys !== false && base && typeof base === "object" && !Array.isArray(base)) {
    out.push({ label: "unknown property", text: toJsonText({ ...base, surprise: { deeply: ["x"] } }) });
    out.push({ label: "__proto__ key", text: `{"__proto__":{"polluted":1},${toJsonText(base).slice(1)}` });
  }
  return out;
}

function getAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

function setAt(value: unknown, path: string[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const node = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  return { ...node, [head!]: setAt(node[head!], rest, next) };
}

function omit(value: unknown, key: string): unknown {
  const copy = { ...(value as Record<string, unknown>) };
  delete copy[key];
  return copy;
}

/** Bodies that are not JSON at all, or JSON of the wrong shape at the top. */
export const malformedJsonTexts: { label: string; text: string | Uint8Array<ArrayBuffer> }[] = [
  { label: "empty body", text: "" },
  { label: "truncated object", text: '{"a":' },
  { label: "lone brace", text: "{" },
  { label: "trailing garbage", text: "{}garbage" },
  { label: "single quotes", text: "{'a':1}" },
  { label: "null", text: "null" },
  { label: "array", text: "[]" },
  { label: "string", text: '"x"' },
  { label: "number 1e400", text: "1e400" },
  { label: "BOM then object", text: "\uFEFF{}" },
  { label: "NUL byte", text: "\u0000" },
  { label: "deep nesting", text: "[".repeat(20_000) + "]".repeat(20_000) },
  { label: "not UTF-8", text: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]) },
  { label: "lone surrogate escape", text: '{"a":"\\ud800"}' },
];

/** Values for query parameters: huge, negative, not numbers, broken escapes, not UTF-8. */
export const badQueryValues = [
  "99999999999999999999999",
  "-1",
  "0",
  "NaN",
  "Infinity",
  "1.5",
  "1e400",
  "0x10",
  "",
  "%ZZ",
  "%",
  "%FF%FE",
  "%C3%28",
  "%00",
  "x".repeat(2000),
  "..%2F..%2Fetc%2Fpasswd",
];

const b64 = (text: string) => Buffer.from(text).toString("base64url");

/** Pagination cursors a client could craft. */
export function craftedCursors(): string[] {
  const id = randomUUID();
  return [
    randomBytes(24).toString("base64url"),
    randomBytes(24).toString("base64"),
    "////",
    "a+b/c==",
    b64('{"createdAt":'),
    b64('{"createdAt":123,"id":[]}'),
    b64(JSON.stringify({ createdAt: "+275760-09-13T00:00:00.000Z", id })),
    b64(`+275760-09-13T00:00:00.000Z|${id}`),
    b64(`-000001-01-01T00:00:00.000Z|${id}`),
    b64(`-271821-04-20T00:00:00.000Z|${id}`),
    b64(`0000-01-01T00:00:00.000Z|${id}`),
    b64(`9999-12-31T23:59:59.999Z|${id}`),
    b64(`2024-01-01T00:00:00.000Z|not-a-uuid`),
    b64(`2024-01-01T00:00:00.000Z|${id}' OR '1'='1`),
    b64(`2024-01-01T00:00:00.000Z|${id}|extra`),
    b64(`2024-01-01T00:00:00.000Z|`),
    b64(`1|${id}`),
    b64(`-1|${id}`),
    b64(`8640000000000001|${id}`),
    b64(`\u0000|\u0000`),
    b64("|"),
    "=",
    "%ZZ",
    "%FF",
  ];
}

/** Path ids that are not ids: not a uuid, a uuid that names nothing, traversal, broken escapes. */
export const badIds = [
  "not-a-uuid",
  randomUUID(),
  absentId,
  "..%2F..%2Fetc%2Fpasswd",
  "..",
  "%ZZ",
  "%",
  "%00",
  "%C3%28",
  "x".repeat(300),
  "1e400",
  "-1",
  `${absentId}'--`,
];

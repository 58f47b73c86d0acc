import "server-only";
import type { z } from "zod";
import type { FieldErrors } from "./errors";

/** Zod issues as { "inputs.width": ["Too small: expected number to be >=1"] }. */
export function zodFieldErrors(error: z.ZodError, prefix?: string): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "body";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** Postgres unique_violation, whether raw from the driver or wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

import { AppError, type FieldErrors } from "@/server/errors";
import type { Capability } from "./capabilities";
import type { Provider } from "./types";

/**
 * Checks a step's options against the schema the provider declared for the capability (local tools
 * do), before any work: a bad option is a validation error naming the field, not a crash mid-run.
 */
export function checkStepOptions(provider: Provider, capability: Capability, options: Record<string, unknown>): void {
  const schema = provider.optionSchemas?.[capability];
  if (!schema) return;
  const result = schema.safeParse(options);
  if (result.success) return;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) (fields[issue.path.join(".") || capability] ??= []).push(issue.message);
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
    .join("; ");
  throw new AppError("validation_failed", { message: `${capability} options: ${summary}`, fields });
}

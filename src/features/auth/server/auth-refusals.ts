import "server-only";
import { AppError } from "@/server/errors";
import { nameMax } from "../name-rules";

/** Our code for a name over nameMax; raised from the before-hook as a better-auth APIError. */
export const nameTooLongCode = "NAME_TOO_LONG";

/**
 * better-auth answers refusals as `{ code, message }` in English. The ones a user can act on are
 * raised again as our AppError, so the one error mapping answers them as `{ error }` in the
 * user's language: an origin it does not trust ("open APP_URL instead"), a name that is too long.
 */
export async function raiseKnownRefusal(response: Response, appUrl: string): Promise<void> {
  if (response.status !== 400 && response.status !== 403) return;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { code?: unknown } | null;
  if (body?.code === "INVALID_ORIGIN") throw new AppError("origin_not_allowed", { params: { appUrl } });
  if (body?.code === nameTooLongCode) throw new AppError("name_too_long", { params: { max: nameMax } });
}

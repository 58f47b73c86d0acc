import "server-only";
import pino from "pino";
import { readLogLevel } from "./env";

/** One logger; secrets are redacted by path so they never reach logs. */
export const logger = pino({
  level: readLogLevel(),
  redact: {
    paths: ["password", "*.password", "headers.authorization", "headers.cookie", "*.token", "secret", "*.secret"],
    censor: "[redacted]",
  },
  base: undefined,
});

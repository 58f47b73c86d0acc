import pino from "pino";
import { getEnv } from "./env";

/** One logger; secrets are redacted by path so they never reach logs. */
export const logger = pino({
  level: getEnv().LOG_LEVEL,
  redact: {
    paths: ["password", "*.password", "headers.authorization", "headers.cookie", "*.token", "secret", "*.secret"],
    censor: "[redacted]",
  },
  base: undefined,
});

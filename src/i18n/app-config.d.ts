import type en from "../messages/en.json";
import type { AppLocale } from "./locale";

// Type-checks every t("key") against the English messages (de.json must match: messages.test.ts).
declare module "next-intl" {
  interface AppConfig {
    Locale: AppLocale;
    Messages: typeof en;
  }
}

declare global {
  type IntlMessages = typeof en;
}

import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { localeCookie, resolveLocale } from "./locale";

// No locale in the URL: the locale comes from the NEXT_LOCALE cookie (set by the language
// switch), else from Accept-Language. The API reads the same cookie for its error messages.
export default getRequestConfig(async () => {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(cookieStore.get(localeCookie)?.value, headerStore.get("accept-language"));
  const messages = (await import(`../messages/${locale}.json`)) as { default: IntlMessages };
  return { locale, messages: messages.default };
});

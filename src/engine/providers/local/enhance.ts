import type { Provider } from "../types";

export const enhanceCapabilities: Provider["capabilities"] = {};

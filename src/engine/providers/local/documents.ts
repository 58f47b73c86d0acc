import type { Provider } from "../types";

export const documentsCapabilities: Provider["capabilities"] = {};

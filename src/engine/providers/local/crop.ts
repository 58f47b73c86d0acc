import type { Provider } from "../types";

export const cropCapabilities: Provider["capabilities"] = {};

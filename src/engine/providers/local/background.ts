import type { Provider } from "../types";

export const backgroundCapabilities: Provider["capabilities"] = {};

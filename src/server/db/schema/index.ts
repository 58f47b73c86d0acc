export * from "./auth";
export * from "./credits";
export * from "./jobs";
export * from "./assets";
export * from "./system";
export * from "./providers";
export * from "./billing";

/** Job changes are announced on the generic keyed notifier, keyed by job id. */
export type { KeyedEvents as JobEvents } from "@/server/events";

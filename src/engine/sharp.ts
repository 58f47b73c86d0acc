import sharp from "sharp";

// In a server the libvips operation cache only grows memory: every request is a new image.
sharp.cache(false);
// Leave one core to the event loop and the database on small machines.
sharp.concurrency(Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1)));

export { sharp };

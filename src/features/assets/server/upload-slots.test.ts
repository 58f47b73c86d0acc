import { describe, expect, it } from "vitest";
import { createUploadSlots } from "./upload-slots";

describe("upload slots", () => {
  it("refuses past the account's bound with 429 and past the process's with 503, both with Retry-After", () => {
    const slots = createUploadSlots({ perAccount: 2, total: 3 });
    const a1 = slots.acquire("a");
    slots.acquire("a");
    expect(() => slots.acquire("a")).toThrowError(
      expect.objectContaining({ code: "rate_limited", status: 429, retryAfterSeconds: 2 }),
    );
    slots.acquire("b");
    expect(() => slots.acquire("c")).toThrowError(
      expect.objectContaining({ code: "service_unavailable", status: 503, retryAfterSeconds: 2 }),
    );
    a1();
    expect(slots.active).toBe(2);
    slots.acquire("c");
    expect(slots.active).toBe(3);
  });

  it("gives a slot back once, however often release is called", () => {
    const slots = createUploadSlots({ perAccount: 1, total: 2 });
    const release = slots.acquire("a");
    release();
    release();
    expect(slots.active).toBe(0);
    slots.acquire("a");
    slots.acquire("b");
    expect(() => slots.acquire("c")).toThrowError(expect.objectContaining({ status: 503 }));
  });
});

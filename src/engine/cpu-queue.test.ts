import { describe, expect, it } from "vitest";
import { createCpuQueue } from "./cpu-queue";

describe("the CPU queue", () => {
  it("runs at most `concurrency` tasks and refuses beyond `maxWaiting` with a 503", async () => {
    const queue = createCpuQueue({ concurrency: 2, maxWaiting: 2 });
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      });
    const accepted = [queue.run(task), queue.run(task), queue.run(task), queue.run(task)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([queue.running, queue.waiting]).toEqual([2, 2]);
    expect(() => queue.run(task)).toThrowError(expect.objectContaining({ code: "service_unavailable", status: 503 }));
    while (releases.length || running) {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
  });

  it("with no waiting room still runs tasks while a slot is free", async () => {
    const queue = createCpuQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run(async () => 42)).resolves.toBe(42);
  });
});

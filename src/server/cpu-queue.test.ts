import { describe, expect, it } from "vitest";
import { createCpuQueue } from "./cpu-queue";

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tasks that run until released by hand, recording the order they started in. */
function controlledTasks() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const task = (label: string) => () =>
    new Promise<string>((resolve) => {
      started.push(label);
      running += 1;
      peak = Math.max(peak, running);
      releases.push(() => {
        running -= 1;
        resolve(label);
      });
    });
  /** Ends the oldest running task and lets the queue start the next. */
  const releaseOne = async () => {
    releases.shift()?.();
    await tick();
  };
  return {
    started,
    task,
    releaseOne,
    get peak() {
      return peak;
    },
    get running() {
      return running;
    },
  };
}

describe("the CPU queue", () => {
  it("runs at most `concurrency` tasks and refuses beyond `maxWaiting` with a 503", async () => {
    const queue = createCpuQueue({ concurrency: 2, maxWaiting: 2, maxWaitingPerKey: 2 });
    const tasks = controlledTasks();
    const accepted = [1, 2, 3, 4].map((i) => queue.run("a", tasks.task(`a${i}`)));
    await tick(10);
    expect([queue.running, queue.waiting]).toEqual([2, 2]);
    expect(() => queue.run("b", tasks.task("b1"))).toThrowError(
      expect.objectContaining({ code: "service_unavailable", status: 503, retryAfterSeconds: 2 }),
    );
    while (tasks.running) await tasks.releaseOne();
    await Promise.all(accepted);
    expect(tasks.peak).toBe(2);
  });

  it("with no waiting room still runs tasks while a slot is free", async () => {
    const queue = createCpuQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run("a", async () => 42)).resolves.toBe(42);
  });

  it("one key with 30 queued tasks cannot delay another key's single task behind all of them", async () => {
    const queue = createCpuQueue({ concurrency: 2, maxWaiting: 64, maxWaitingPerKey: 64 });
    const tasks = controlledTasks();
    const flood = Array.from({ length: 30 }, (_, i) => queue.run("flooder", tasks.task(`f${i}`)));
    await tick();
    const single = queue.run("other", tasks.task("other"));
    await tick();
    expect(tasks.started).toEqual(["f0", "f1"]);
    // The first slot that frees goes to the other key, not to the flooder's third task.
    await tasks.releaseOne();
    expect(tasks.started).toEqual(["f0", "f1", "other"]);
    expect(queue.runningFor("flooder")).toBe(1);
    while (tasks.running) await tasks.releaseOne();
    await expect(single).resolves.toBe("other");
    expect(await Promise.all(flood)).toHaveLength(30);
    expect(tasks.peak).toBe(2);
  });

  it("shares slots round-robin between keys that all wait", async () => {
    const queue = createCpuQueue({ concurrency: 1, maxWaiting: 64, maxWaitingPerKey: 64 });
    const tasks = controlledTasks();
    const all = [
      ...[1, 2, 3].map((i) => queue.run("a", tasks.task(`a${i}`))),
      ...[1, 2, 3].map((i) => queue.run("b", tasks.task(`b${i}`))),
      ...[1, 2].map((i) => queue.run("c", tasks.task(`c${i}`))),
    ];
    await tick();
    while (tasks.running) await tasks.releaseOne();
    await Promise.all(all);
    expect(tasks.started).toEqual(["a1", "b1", "c1", "a2", "b2", "c2", "a3", "b3"]);
  });

  it("a key alone may use every slot (no idle slots kept back)", async () => {
    const queue = createCpuQueue({ concurrency: 3, maxWaiting: 8 });
    const tasks = controlledTasks();
    const all = [1, 2, 3, 4].map((i) => queue.run("a", tasks.task(`a${i}`)));
    await tick();
    expect(queue.runningFor("a")).toBe(3);
    while (tasks.running) await tasks.releaseOne();
    await Promise.all(all);
  });

  it("refuses a key whose own waiting share is full with 429, while other keys still get in", async () => {
    const queue = createCpuQueue({ concurrency: 1, maxWaiting: 8, maxWaitingPerKey: 2 });
    const tasks = controlledTasks();
    const accepted = [1, 2, 3].map((i) => queue.run("a", tasks.task(`a${i}`)));
    expect(() => queue.run("a", tasks.task("a4"))).toThrowError(
      expect.objectContaining({ code: "rate_limited", status: 429 }),
    );
    accepted.push(queue.run("b", tasks.task("b1")));
    await tick();
    while (tasks.running) await tasks.releaseOne();
    await Promise.all(accepted);
    expect(tasks.started).toEqual(["a1", "b1", "a2", "a3"]);
  });

  it("frees the slot when a task fails", async () => {
    const queue = createCpuQueue({ concurrency: 1, maxWaiting: 4 });
    await expect(queue.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(queue.run("a", async () => 1)).resolves.toBe(1);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });
});

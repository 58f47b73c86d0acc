import { expect } from "vitest";

/** Requests an /i/ URL until it stops answering 202 (an AI step still running); it must end in 200. */
export async function pollUntilReady(request: () => Promise<Response>, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request();
    if (response.status !== 202) {
      expect(response.status).toBe(200);
      return response;
    }
    await response.body?.cancel();
    if (Date.now() > deadline) throw new Error("still processing");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

import type { WalkRequest } from "./walk-cases";

/** One answer of the OpenAPI walk (tests/integration/openapi-walk.test.ts). */
export type Answer = { request: WalkRequest; status: number; body: unknown; contentType: string };

/**
 * Sends walk requests as the user, the admin or nobody, a few at a time. Getters, because the
 * server and the accounts exist only once the test's beforeAll has run.
 */
export function createWalkSender(baseOf: () => string, cookieOf: (as: WalkRequest["as"]) => string | undefined) {
  async function send(request: WalkRequest, locale = "en"): Promise<Answer> {
    const cookie = cookieOf(request.as);
    const headers: Record<string, string> = { origin: baseOf(), "accept-language": locale, ...request.headers };
    if (cookie) headers.cookie = [cookie, request.headers?.cookie].filter(Boolean).join("; ");
    const response = await fetch(baseOf() + request.path, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
    });
    const contentType = response.headers.get("content-type") ?? "";
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: the shape check reports it for 4xx.
    }
    return { request, status: response.status, body, contentType };
  }

  async function sendAll(requests: WalkRequest[], concurrency = 6): Promise<Answer[]> {
    const answers: Answer[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          answers.push(await send(request));
        }
      }),
    );
    return answers;
  }

  return { send, sendAll };
}

export function isErrorBody(a: Answer): boolean {
  const error = (a.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return (
    a.contentType.includes("application/json") &&
    typeof error?.code === "string" &&
    typeof error.message === "string" &&
    error.message.length > 0
  );
}
/** "POST /jobs" for the walk's OpenAPI requests, "/i/" for image URLs, the label otherwise. */
export const routeOf = (request: WalkRequest) =>
  request.label.startsWith("/i/") ? "/i/" : request.label.split(" ").slice(0, 2).join(" ");
export const codeOf = (a: Answer) => (a.body as { error: { code: string } }).error.code;
export const messageOf = (a: Answer) => (a.body as { error: { message: string } }).error.message;
export function describeAnswer(a: Answer): string {
  return `${a.status} ${a.request.label} (${a.request.method} ${a.request.path.slice(0, 120)}) -> ${JSON.stringify(a.body).slice(0, 200)}`;
}

import { randomUUID } from "node:crypto";

/** A signed-in user talking to the server over HTTP with its session cookie. */
export type TestUser = {
  email: string;
  cookie: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
};

export const testPassword = "correct horse battery staple";

export async function signUpAndIn(baseUrl: string, email = `user-${randomUUID()}@example.com`): Promise<TestUser> {
  const signUp = await post(baseUrl, "/api/auth/sign-up/email", { name: "Test User", email, password: testPassword });
  if (signUp.status !== 200) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const signIn = await post(baseUrl, "/api/auth/sign-in/email", { email, password: testPassword });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  return userWithCookie(baseUrl, email, sessionCookie(signIn));
}

export function userWithCookie(baseUrl: string, email: string, cookie: string): TestUser {
  const request = (path: string, init: RequestInit = {}) =>
    fetch(baseUrl + path, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
  return {
    email,
    cookie,
    request,
    async json(path, init) {
      const response = await request(path, init);
      return { status: response.status, body: await response.json() };
    },
  };
}

export function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(baseUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, ...headers },
    body: JSON.stringify(body),
  });
}

export function sessionCookie(response: Response): string {
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const session = cookies.find((c) => c.includes("session_token"));
  if (!session) throw new Error("no session cookie in response");
  return cookies.join("; ");
}

export function jsonBody(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

export function uploadBody(bytes: Buffer | Uint8Array, name: string, type = "application/octet-stream"): RequestInit {
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return { method: "POST", body: form };
}

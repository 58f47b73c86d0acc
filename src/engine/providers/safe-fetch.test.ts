import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "@/engine/providers/errors";
import { startLoopback, type Loopback } from "../../../tests/fakes/loopback";
import { fetchRemote, isPublicAddress } from "./safe-fetch";

const limits = { maxBytes: 1000, timeoutMs: 2000 };

/** The ProviderError a call failed with (a plain error or success fails the test). */
async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "::1",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "0.0.0.0",
    "100.64.0.1",
    "fc00::1",
    "fe80::1",
    "224.0.0.1",
    "255.255.255.255",
    "not an address",
    "",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("fetchRemote", () => {
  let target: Loopback;
  let trusted: Loopback;
  let targetPort: string;

  beforeAll(async () => {
    target = await startLoopback((_request, response) => {
      response.writeHead(200, { "content-type": "image/png" });
      response.end("secret");
    });
    targetPort = new URL(target.url).port;
    trusted = await startLoopback(async (request, response) => {
      const path = new URL(request.path, "http://x").pathname;
      if (path === "/file") {
        response.writeHead(200, { "content-type": "image/png; charset=binary" });
        response.end(Buffer.from("png bytes"));
      } else if (path === "/to-untrusted") {
        response.writeHead(302, { location: `${target.url}/stolen` });
        response.end();
      } else if (path === "/to-self") {
        response.writeHead(301, { location: "/file" });
        response.end();
      } else if (path === "/loop") {
        response.writeHead(302, { location: "/loop" });
        response.end();
      } else if (path === "/big-declared") {
        response.writeHead(200, { "content-type": "image/png", "content-length": "2000" });
        response.end(Buffer.alloc(2000));
      } else if (path === "/big-chunked") {
        // No content-length: the limit must hold while streaming.
        response.writeHead(200, { "content-type": "image/png" });
        for (let i = 0; i < 10; i++) response.write(Buffer.alloc(300));
        response.end();
      } else if (path === "/slow-headers") {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        if (!response.destroyed) response.end("late");
      } else if (path === "/slow-body") {
        response.writeHead(200, { "content-type": "image/png" });
        response.write(Buffer.alloc(10));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        if (!response.destroyed) response.end();
      } else if (path === "/server-error") {
        response.writeHead(503);
        response.end();
      } else {
        response.writeHead(404);
        response.end();
      }
    });
  });
  afterAll(async () => {
    await target?.close();
    await trusted?.close();
  });

  const trustedOptions = () => ({ ...limits, trustedOrigins: [trusted.url] });

  it("fetches from a trusted origin and reports the mime type without parameters", async () => {
    const file = await fetchRemote(`${trusted.url}/file`, trustedOptions());
    expect(file.data.toString()).toBe("png bytes");
    expect(file.mime).toBe("image/png");
  });

  it("follows a redirect within the trusted origin", async () => {
    const file = await fetchRemote(`${trusted.url}/to-self`, trustedOptions());
    expect(file.data.toString()).toBe("png bytes");
  });

  it.each([
    ["IPv4 loopback", () => `http://127.0.0.1:${targetPort}/x`],
    ["IPv4 loopback in decimal", () => `http://2130706433:${targetPort}/x`],
    ["IPv6 loopback", () => `http://[::1]:${targetPort}/x`],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${targetPort}/x`],
    ["a name resolving to loopback", () => `http://localhost:${targetPort}/x`],
    ["10/8", () => "http://10.0.0.1/x"],
    ["172.16/12", () => "http://172.16.0.1/x"],
    ["192.168/16", () => "http://192.168.0.1/x"],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/"],
  ])("refuses %s without sending a request", async (_name, url) => {
    const before = target.requests.length;
    const error = await failureOf(fetchRemote(url(), limits));
    expect(error.failure).toBe("malformed");
    expect(error.message).toMatch(/non-public/);
    expect(target.requests.length).toBe(before);
  });

  it("refuses a redirect from a trusted origin to an address that is not trusted", async () => {
    const before = target.requests.length;
    const error = await failureOf(fetchRemote(`${trusted.url}/to-untrusted`, trustedOptions()));
    expect(error).toMatchObject({ failure: "malformed" });
    expect(error.message).toMatch(/non-public/);
    expect(target.requests.length).toBe(before);
    expect(trusted.requests.some((r) => r.path === "/to-untrusted")).toBe(true);
  });

  it("stops after too many redirects", async () => {
    const error = await failureOf(fetchRemote(`${trusted.url}/loop`, { ...trustedOptions(), maxRedirects: 2 }));
    expect(error.message).toMatch(/redirects too often/);
    expect(trusted.requests.filter((r) => r.path === "/loop").length).toBe(3);
  });

  it.each([
    "file:///etc/passwd",
    "ftp://example.com/a.png",
    "data:image/png;base64,AAAA",
    "javascript:alert(1)",
    "gopher://x/",
  ])("refuses the scheme of %s", async (url) => {
    const error = await failureOf(fetchRemote(url, limits));
    expect(error).toMatchObject({ failure: "malformed" });
    expect(error.message).toMatch(/scheme/);
  });

  it("refuses URLs carrying credentials, even on a trusted origin", async () => {
    const before = trusted.requests.length;
    const withCredentials = trusted.url.replace("http://", "http://user:pass@");
    const error = await failureOf(fetchRemote(`${withCredentials}/file`, trustedOptions()));
    expect(error.message).toMatch(/credentials/);
    expect(trusted.requests.length).toBe(before);
  });

  it("refuses something that is not a URL", async () => {
    expect((await failureOf(fetchRemote("not a url", limits))).failure).toBe("malformed");
  });

  it("refuses a body over maxBytes announced by content-length", async () => {
    const error = await failureOf(fetchRemote(`${trusted.url}/big-declared`, trustedOptions()));
    expect(error).toMatchObject({ failure: "malformed" });
    expect(error.message).toMatch(/larger than 1000 bytes/);
  });

  it("refuses a streamed body once it grows past maxBytes", async () => {
    const error = await failureOf(fetchRemote(`${trusted.url}/big-chunked`, trustedOptions()));
    expect(error.message).toMatch(/larger than 1000 bytes/);
    // The same body fits a larger limit: the limit, not the stream, made it fail.
    const file = await fetchRemote(`${trusted.url}/big-chunked`, { ...trustedOptions(), maxBytes: 3000 });
    expect(file.data.length).toBe(3000);
  });

  it("gives up on a server slower than timeoutMs as a retriable failure", async () => {
    const started = Date.now();
    const error = await failureOf(fetchRemote(`${trusted.url}/slow-headers`, { ...trustedOptions(), timeoutMs: 300 }));
    expect(error.failure).toBe("retriable");
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it("gives up on a body that stalls past timeoutMs as a retriable failure", async () => {
    const error = await failureOf(fetchRemote(`${trusted.url}/slow-body`, { ...trustedOptions(), timeoutMs: 300 }));
    expect(error.failure).toBe("retriable");
  });

  it("passes the caller's cancellation through instead of calling it a vendor failure", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await fetchRemote(`${trusted.url}/slow-headers`, {
      ...trustedOptions(),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ProviderError);
    expect(controller.signal.aborted).toBe(true);
  });

  it("maps answers: 5xx is retriable, 404 is malformed", async () => {
    expect((await failureOf(fetchRemote(`${trusted.url}/server-error`, trustedOptions()))).failure).toBe("retriable");
    const missing = await failureOf(fetchRemote(`${trusted.url}/missing`, trustedOptions()));
    expect(missing).toMatchObject({ failure: "malformed", status: 404 });
  });
});

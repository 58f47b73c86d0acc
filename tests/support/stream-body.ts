import { request } from "node:http";

export type StreamedPost = { status: number | undefined; bytesSent: number; body: string };

/**
 * POSTs `totalBytes` in 64 KB chunks (chunked, or with a declared Content-Length) and reports how
 * much the client managed to send before the server answered or closed the connection.
 */
export function streamPost(
  url: string,
  options: { totalBytes: number; declareLength?: boolean; headers?: Record<string, string> },
): Promise<StreamedPost> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    let bytesSent = 0;
    let status: number | undefined;
    let body = "";
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve({ status, bytesSent, body });
    };
    const req = request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.declareLength ? { "content-length": String(options.totalBytes) } : {}),
        ...options.headers,
      },
    });
    req.on("response", (res) => {
      status = res.statusCode;
      res.setEncoding("utf8");
      res.on("data", (text: string) => (body += text));
      res.on("end", () => {
        req.destroy();
        finish();
      });
    });
    req.on("error", finish);
    req.on("close", finish);
    const write = () => {
      while (bytesSent < options.totalBytes && !req.destroyed) {
        const ok = req.write(chunk);
        bytesSent += chunk.length;
        if (!ok) return void req.once("drain", write);
      }
      if (!req.destroyed) req.end();
    };
    write();
  });
}

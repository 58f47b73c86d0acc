import { getRuntime } from "@/server/runtime";

// Image URLs (/i/<asset>/tr:…) are served by the same Hono app as /api; Next.js only routes here.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  const rt = await getRuntime();
  return rt.app.fetch(request);
}

export { handle as GET, handle as HEAD };

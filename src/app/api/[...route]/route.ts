import { getRuntime } from "@/server/runtime";

// Every /api request goes to the Hono app (auth, REST API, health); Next.js only routes here.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  const rt = await getRuntime();
  return rt.app.fetch(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as OPTIONS };

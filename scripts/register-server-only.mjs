// `node --import tsx --import ./scripts/register-server-only.mjs <entry>.ts`: server code marks itself
// with `import "server-only"` so that Next.js refuses to bundle it for the browser. Outside Next.js
// (server.ts, worker.ts, scripts, benchmarks) the same code runs in plain Node, where that package
// throws unless React's react-server condition is on; that condition cannot be switched on for the
// whole process, because React itself would change. So here `server-only` resolves to the package's
// own empty module, the file it gives under react-server. Vitest does the same with an alias.
import { register } from "node:module";

const emptyModule = new URL("empty.js", import.meta.resolve("server-only")).href;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: ${JSON.stringify(emptyModule)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

#!/usr/bin/env node
// `npm start`: build once if there is no build or the sources changed since, then serve.
// server.ts migrates, starts the queue and the embedded worker, then serves pages and the API.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const buildId = path.join(root, ".next", "BUILD_ID");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = ["src", "drizzle"].map((d) => path.join(root, d)).filter(existsSync);
const extra = ["package-lock.json", "next.config.ts"].map((f) => path.join(root, f)).filter(existsSync);
const sourceTime = Math.max(...sources.map(newestMtime), ...extra.map((f) => statSync(f).mtimeMs));
const stale = !existsSync(buildId) || statSync(buildId).mtimeMs < sourceTime;

if (stale) {
  console.log("Building Pixelwerk (first start or changed sources)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const nodeArgs = ["--import", "tsx", "--import", path.join(root, "scripts", "register-server-only.mjs")];
const server = spawn(process.execPath, [...nodeArgs, path.join(root, "server.ts"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

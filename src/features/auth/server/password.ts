import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id (Algorithm.Argon2id = 2; a const enum, so not importable under isolatedModules) with
// OWASP's minimum: 19 MiB memory, 2 iterations, 1 lane.
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export function verifyPassword({ hash: digest, password }: { hash: string; password: string }): Promise<boolean> {
  return verify(digest, password).catch(() => false);
}

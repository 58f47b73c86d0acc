/** Longest user name, in characters: the sign-up form and the server agree on it. */
export const nameMax = 100;

export function isNameTooLong(name: unknown): boolean {
  return typeof name === "string" && [...name].length > nameMax;
}

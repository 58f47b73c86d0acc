export const passwordMin = 8;
export const passwordMax = 128;

/** Key of the message for a password that breaks the length rule, or null. */
export function passwordProblem(password: string): "passwordTooShort" | "passwordTooLong" | null {
  if (password.length < passwordMin) return "passwordTooShort";
  if (password.length > passwordMax) return "passwordTooLong";
  return null;
}

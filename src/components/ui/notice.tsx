import type { ReactNode } from "react";

export type NoticeTone = "error" | "info" | "success";

const toneClass: Record<NoticeTone, string> = {
  error: "notice notice-error",
  info: "notice",
  success: "notice notice-success",
};

/** A message box. Success is announced politely (role="status"), anything else at once (role="alert"). */
export function Notice({ tone = "error", children }: { tone?: NoticeTone; children: ReactNode }) {
  return (
    <p className={toneClass[tone]} role={tone === "success" ? "status" : "alert"}>
      {children}
    </p>
  );
}

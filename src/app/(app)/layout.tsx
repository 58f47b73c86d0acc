import type { ReactNode } from "react";
import { RequireSession } from "@/components/session/require-session";

/** Pages behind sign-in. The API checks the session on every call; this only steers the browser. */
export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <div className="container">
      <RequireSession>{children}</RequireSession>
    </div>
  );
}

import type { ReactNode } from "react";

/** Sign-in, sign-up and password pages: open to everyone, each a single card. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return <div className="container">{children}</div>;
}

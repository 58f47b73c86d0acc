"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, ApiError } from "../api/client";
import type { Me } from "../api/types";

type SessionState =
  { status: "loading"; me: null } | { status: "signed-in"; me: Me } | { status: "signed-out"; me: null };

type SessionValue = SessionState & {
  /** Reloads the user and balance (after sign-in, a finished job, ...). */
  refresh: () => Promise<Me | null>;
};

const SessionContext = createContext<SessionValue | null>(null);

async function loadMe(): Promise<Me | null> {
  try {
    return await api<Me>("/api/v1/me", { cache: "no-store" });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading", me: null });

  const refresh = useCallback(async () => {
    try {
      const me = await loadMe();
      setState(me ? { status: "signed-in", me } : { status: "signed-out", me: null });
      return me;
    } catch {
      // A network blip keeps what we had rather than signing the user out.
      setState((previous) => (previous.status === "loading" ? { status: "signed-out", me: null } : previous));
      return null;
    }
  }, []);

  useEffect(() => {
    let active = true;
    loadMe()
      .then((me) => {
        if (active) setState(me ? { status: "signed-in", me } : { status: "signed-out", me: null });
      })
      .catch(() => {
        if (active) setState({ status: "signed-out", me: null });
      });
    return () => {
      active = false;
    };
  }, []);

  const value = useMemo(() => ({ ...state, refresh }), [state, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}

"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { safeNext } from "@/features/auth/safe-next";
import { authClient } from "../session/auth-client";
import styles from "./auth.module.css";

const known = ["google", "github"] as const;
type Provider = (typeof known)[number];

/** Shown only for the providers the server has keys for; `next` is where to land afterwards. */
export function SocialButtons({ next }: { next?: string }) {
  const t = useTranslations("auth");
  const [providers, setProviders] = useState<Provider[]>([]);

  useEffect(() => {
    let active = true;
    api<{ providers: string[] }>("/api/v1/auth-providers")
      .then((body) => {
        if (active) setProviders(known.filter((p) => body.providers.includes(p)));
      })
      .catch(() => undefined);
    return () => {
      active = false;
    };
  }, []);

  if (providers.length === 0) return null;
  return (
    <div className={styles.social}>
      <p className={styles.divider}>{t("orContinueWith")}</p>
      {providers.map((provider) => (
        <button
          key={provider}
          type="button"
          className="button button-secondary button-block"
          onClick={() =>
            void authClient().signIn.social({ provider, callbackURL: safeNext(next, window.location.origin) })
          }
        >
          {t("continueWith", { provider: t(`providers.${provider}`) })}
        </button>
      ))}
    </div>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, type FormEvent } from "react";
import { api } from "../api/client";
import { useErrorMessage } from "../api/use-error-message";
import { Notice } from "../ui/notice";
import type { NoticeTone } from "../ui/notice";

type Answer = { terms: string[]; envTerms: string[] };

/** The admin's prompt blocklist, one term per line; PROMPT_BLOCKLIST's terms are shown read-only. */
export function BlocklistEditor() {
  const t = useTranslations("adminProviders.blocklist");
  const errorMessage = useErrorMessage();
  const [text, setText] = useState<string | null>(null);
  const [envTerms, setEnvTerms] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: NoticeTone; text: string } | null>(null);

  useEffect(() => {
    let active = true;
    api<Answer>("/api/v1/admin/prompt-blocklist", { cache: "no-store" })
      .then((answer) => {
        if (!active) return;
        setText(answer.terms.join("\n"));
        setEnvTerms(answer.envTerms);
      })
      .catch((error: unknown) => active && setMessage({ tone: "error", text: errorMessage(error) }));
    return () => {
      active = false;
    };
  }, [errorMessage]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setMessage(null);
    try {
      const answer = await api<Answer>("/api/v1/admin/prompt-blocklist", {
        method: "PUT",
        json: { terms: (text ?? "").split("\n") },
      });
      setText(answer.terms.join("\n"));
      setMessage({ tone: "success", text: t("saved", { count: answer.terms.length }) });
    } catch (error) {
      setMessage({ tone: "error", text: errorMessage(error) });
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="blocklist-title">
      <form className="stack" onSubmit={save}>
        <div>
          <h2 id="blocklist-title">{t("title")}</h2>
          <p className="muted small">{t("lead")}</p>
        </div>
        <div className="field">
          <label htmlFor="prompt-blocklist">{t("label")}</label>
          <textarea
            id="prompt-blocklist"
            className="input"
            rows={6}
            spellCheck={false}
            value={text ?? ""}
            disabled={text === null}
            onChange={(event) => setText(event.target.value)}
            aria-describedby={envTerms.length > 0 ? "prompt-blocklist-env" : undefined}
          />
          {envTerms.length > 0 && (
            <p id="prompt-blocklist-env" className="hint">
              {t("envTerms", { terms: envTerms.join(", ") })}
            </p>
          )}
        </div>
        {message && <Notice tone={message.tone}>{message.text}</Notice>}
        <div>
          <button type="submit" className="button" disabled={pending || text === null}>
            {t("save")}
          </button>
        </div>
      </form>
    </section>
  );
}

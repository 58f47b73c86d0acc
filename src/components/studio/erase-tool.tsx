"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { ApiError, startJob } from "../api/client";
import type { Generator, Job } from "../api/types";
import { useErrorMessage } from "../api/use-error-message";
import { isUpgradeError, UpgradeDialog } from "../billing/upgrade-dialog";
import { uploadFile } from "../dashboard/upload-file";
import { priceFor } from "../dashboard/pricing";
import { ProviderNote } from "../dashboard/provider-note";
import { FormActions } from "../ui/form-actions";
import { maskPng, type Stroke } from "./mask";
import { MaskEditor } from "./mask-editor";
import type { Picture } from "./tools";

type Props = { generator: Generator; picture: Picture; onJob: (job: Job) => void };

/**
 * Magic erase, on the studio's stage: paint the mask over the current image, then run. The mask
 * goes up as an ordinary upload (a PNG of the image's size), and the job gets { image, mask }.
 */
export function EraseTool({ generator, picture, onJob }: Props) {
  const t = useTranslations("studio.mask");
  const tg = useTranslations("generator");
  const errorMessage = useErrorMessage();
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [upgrade, setUpgrade] = useState<ApiError | null>(null);
  const width = picture.width ?? natural?.width;
  const height = picture.height ?? natural?.height;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!width || !height || strokes.length === 0) return;
    setPending(true);
    setError(null);
    try {
      const mask = await uploadFile(await maskPng(strokes, width, height), () => undefined);
      onJob(await startJob(generator.id, { image: picture.assetId, mask: mask.id }));
    } catch (e) {
      setError(e instanceof ApiError ? errorMessage(e) : t("failed"));
      if (isUpgradeError(e)) setUpgrade(e);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="generator-form" data-generator={generator.id}>
      {width && height ? (
        <MaskEditor
          url={picture.url}
          width={width}
          height={height}
          strokes={strokes}
          onStrokes={setStrokes}
          disabled={pending}
        />
      ) : (
        // The size is not known yet: read it from the image itself.
        // eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs
        <img
          src={picture.url}
          alt=""
          onLoad={(e) => setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
        />
      )}
      {strokes.length === 0 && <p className="hint">{t("paintFirst")}</p>}
      <ProviderNote generator={generator} />
      <FormActions
        message={error}
        pending={pending}
        disabled={strokes.length === 0 || !generator.available}
        label={tg("run", { title: generator.title, price: priceFor(generator, { image: picture.assetId }) })}
        pendingLabel={tg("starting")}
      />
      <UpgradeDialog error={upgrade} onClose={() => setUpgrade(null)} />
    </form>
  );
}

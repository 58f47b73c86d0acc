"use client";

/* eslint-disable @next/next/no-img-element -- signed, short-lived URLs; next/image cannot cache them */

import { useTranslations } from "next-intl";
import { downloadUrl, useFormatBytes } from "./format";

export const isVideo = (mime: string) => mime.startsWith("video/");
export const isImage = (mime: string) => mime.startsWith("image/");

type Props = {
  url: string;
  mime: string;
  /** The image's alt text; a video's accessible name. */
  alt: string;
  width?: number | null;
  height?: number | null;
  className?: string;
};

/**
 * An output as it is: an image, or a video with the browser's controls (inline on phones). Videos
 * use the file's own URL: the /i/ image transformations do not apply to them.
 */
export function Media({ url, mime, alt, width, height, className }: Props) {
  const style = width && height ? { aspectRatio: `${width} / ${height}` } : undefined;
  if (isVideo(mime)) {
    return (
      <video
        src={url}
        controls
        playsInline
        preload="metadata"
        className={className}
        style={style}
        aria-label={alt}
        data-testid="output-video"
      >
        <a href={url}>{alt}</a>
      </video>
    );
  }
  return <img src={url} alt={alt} loading="lazy" className={className} style={style} />;
}

type OpenableProps = Omit<Props, "className"> & {
  /** The link around an image. */
  linkClassName?: string;
  /** A box around a video, where the layout wants one. */
  videoFrameClassName?: string;
  videoClassName?: string;
};

/** An output in a list: an image opens full size in a new tab; a video plays in place (a link would take its controls). */
export function OpenableMedia({ linkClassName, videoFrameClassName, videoClassName, ...media }: OpenableProps) {
  if (isVideo(media.mime)) {
    const video = <Media {...media} className={videoClassName} />;
    return videoFrameClassName ? <div className={videoFrameClassName}>{video}</div> : video;
  }
  return (
    <a href={media.url} target="_blank" rel="noreferrer" className={linkClassName}>
      <Media {...media} />
    </a>
  );
}

type FactsProps = { url: string; width: number | null; height: number | null; bytes: number; buttonClassName?: string };

/** Beside an output: its size (pixels when known) and its download button. */
export function MediaFacts({ url, width, height, bytes, buttonClassName = "button button-small" }: FactsProps) {
  const t = useTranslations("jobs");
  const tc = useTranslations("common");
  const formatBytes = useFormatBytes();
  return (
    <>
      <span className="hint">
        {width && height ? t("details", { width, height, size: formatBytes(bytes) }) : formatBytes(bytes)}
      </span>
      <a href={downloadUrl(url)} className={buttonClassName} download>
        {tc("download")}
      </a>
    </>
  );
}

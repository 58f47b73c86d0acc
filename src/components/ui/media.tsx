/* eslint-disable @next/next/no-img-element -- signed, short-lived URLs; next/image cannot cache them */

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
      <video src={url} controls playsInline preload="metadata" className={className} style={style} aria-label={alt} data-testid="output-video">
        <a href={url}>{alt}</a>
      </video>
    );
  }
  return <img src={url} alt={alt} loading="lazy" className={className} style={style} />;
}

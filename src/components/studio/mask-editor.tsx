"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { brushRadius, drawStrokes, type Point, type Stroke } from "./mask";
import styles from "./mask-editor.module.css";

type Props = {
  url: string;
  /** The image's size in pixels: strokes are kept in these coordinates. */
  width: number;
  height: number;
  strokes: Stroke[];
  onStrokes: (strokes: Stroke[]) => void;
  disabled: boolean;
};

/** The overlay is drawn at most this many pixels wide or high; the mask itself has the image's size. */
const overlaySide = 1024;
const paint = "rgb(255 45 85)";

/**
 * Paint over the image what should be erased: mouse, pen and touch through pointer events (the
 * canvas has touch-action: none, so a finger paints instead of scrolling). Keyboard: focus the
 * image, move the brush with the arrow keys, paint with Space; Ctrl+Z undoes a stroke.
 */
export function MaskEditor({ url, width, height, strokes, onStrokes, disabled }: Props) {
  const t = useTranslations("studio.mask");
  const hintId = useId();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<Stroke | null>(null);
  const [size, setSize] = useState(6);
  const [cursor, setCursor] = useState<Point | null>(null);
  const radius = brushRadius(size, width, height);
  const scale = Math.min(1, overlaySide / Math.max(width, height));

  const redraw = useCallback(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawStrokes(context, drawing.current ? [...strokes, drawing.current] : strokes, scale, paint);
    if (cursor) {
      context.lineWidth = Math.max(2, 3 * scale);
      context.strokeStyle = "#fff";
      context.beginPath();
      context.arc(cursor.x * scale, cursor.y * scale, radius * scale, 0, Math.PI * 2);
      context.stroke();
    }
  }, [strokes, cursor, radius, scale]);

  useEffect(redraw, [redraw]);

  const toImage = (event: PointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: Math.max(0, Math.min(width, ((event.clientX - rect.left) / rect.width) * width)),
      y: Math.max(0, Math.min(height, ((event.clientY - rect.top) / rect.height) * height)),
    };
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (disabled || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = { radius, points: [toImage(event)] };
    redraw();
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const stroke = drawing.current;
    if (!stroke) return;
    const point = toImage(event);
    const last = stroke.points[stroke.points.length - 1]!;
    // Points closer than a quarter brush add nothing visible; skipping them keeps strokes small.
    if (Math.hypot(point.x - last.x, point.y - last.y) < radius / 4) return;
    stroke.points.push(point);
    redraw();
  };
  const onPointerEnd = () => {
    const stroke = drawing.current;
    drawing.current = null;
    if (stroke) onStrokes([...strokes, stroke]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (disabled) return;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
      // The studio's own Ctrl+Z undoes whole steps; here it undoes a stroke.
      event.preventDefault();
      event.stopPropagation();
      onStrokes(strokes.slice(0, -1));
      return;
    }
    const at = cursor ?? { x: width / 2, y: height / 2 };
    const step = Math.max(radius, 4) * (event.shiftKey ? 3 : 1);
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setCursor({ x: Math.max(0, Math.min(width, at.x + move[0])), y: Math.max(0, Math.min(height, at.y + move[1])) });
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      setCursor(at);
      onStrokes([...strokes, { radius, points: [at] }]);
    }
  };

  return (
    <div className="stack" data-testid="mask-editor">
      <div
        className={styles.frame}
        style={{ aspectRatio: `${width} / ${height}`, maxWidth: `calc(62vh * ${width} / ${height})` }}
      >
        {/* eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs */}
        <img src={url} alt="" className={styles.image} draggable={false} />
        <canvas
          ref={canvasRef}
          width={Math.round(width * scale)}
          height={Math.round(height * scale)}
          className={styles.canvas}
          tabIndex={disabled ? -1 : 0}
          role="application"
          aria-label={t("canvas", { count: strokes.length })}
          aria-describedby={hintId}
          data-testid="mask-canvas"
          data-strokes={strokes.length}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
          onKeyDown={onKeyDown}
          onFocus={() => setCursor((current) => current ?? { x: width / 2, y: height / 2 })}
          onBlur={() => setCursor(null)}
        />
      </div>
      <p id={hintId} className="hint">
        {t("hint")}
      </p>
      <div className={styles.controls}>
        <label className={styles.size}>
          <span className="label">{t("brush")}</span>
          <input
            type="range"
            min={1}
            max={25}
            value={size}
            onChange={(event) => setSize(Number(event.currentTarget.value))}
            disabled={disabled}
          />
        </label>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => onStrokes(strokes.slice(0, -1))}
          disabled={disabled || strokes.length === 0}
        >
          {t("undo")}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => onStrokes([])}
          disabled={disabled || strokes.length === 0}
        >
          {t("clear")}
        </button>
      </div>
    </div>
  );
}

import styles from "./progress-bar.module.css";

/** An accessible determinate progress bar (0-100). */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className={styles.track}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
    >
      <div className={styles.bar} style={{ width: `${clamped}%` }} />
    </div>
  );
}

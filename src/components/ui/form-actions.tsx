import { Notice, type NoticeTone } from "./notice";

type Props = {
  /** What the last attempt answered, shown above the button. */
  message?: string | null;
  tone?: Exclude<NoticeTone, "success">;
  pending: boolean;
  label: string;
  pendingLabel: string;
  /** Disabled for another reason than a pending submit. */
  disabled?: boolean;
};

/** The end of a form: the message from the last attempt (if any), then the full-width submit button. */
export function FormActions({ message, tone = "error", pending, label, pendingLabel, disabled = false }: Props) {
  return (
    <>
      {message && <Notice tone={tone}>{message}</Notice>}
      <button type="submit" className="button button-block" disabled={disabled || pending}>
        {pending ? pendingLabel : label}
      </button>
    </>
  );
}

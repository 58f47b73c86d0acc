import type { InputHTMLAttributes } from "react";

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "className"> & {
  id: string;
  label: string;
  /** A line under the input (id `${id}-hint`); `error` takes its place when set. */
  hint?: string;
  error?: string | null;
};

/** A labelled input: the label is tied to the input, a hint or error describes it. */
export function TextField({ id, label, hint, error, ...input }: TextFieldProps) {
  const note = error ?? hint;
  const noteId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
      />
      {note && (
        <p id={noteId} className={error ? "field-error" : "hint"}>
          {note}
        </p>
      )}
    </div>
  );
}

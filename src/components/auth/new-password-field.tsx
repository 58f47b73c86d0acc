import { TextField, type TextFieldProps } from "../ui/text-field";
import { passwordMax, passwordMin } from "./password-rules";

type Props = Omit<TextFieldProps, "type" | "autoComplete" | "required" | "minLength" | "maxLength">;

/** A password being chosen: the browser may suggest one, and the length rules are checked as typed. */
export function NewPasswordField(props: Props) {
  return (
    <TextField
      {...props}
      type="password"
      autoComplete="new-password"
      required
      minLength={passwordMin}
      maxLength={passwordMax}
    />
  );
}

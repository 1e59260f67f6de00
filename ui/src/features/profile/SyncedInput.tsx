// The text input of the setup forms (enterprise profile, first-run wizard): no browser
// autocomplete, and on blur it takes a value set from script that React never saw (see
// `syncOnBlur`). `normalize` rewrites the text, typed or synced (e.g. upper case for a code).

import { Input, type InputProps } from "antd";
import { syncOnBlur } from "../../components/syncOnBlur";

interface Props extends Omit<InputProps, "value" | "onChange" | "onBlur"> {
  value: string;
  onText: (text: string) => void;
  normalize?: (text: string) => string;
  testId: string;
}

export function SyncedInput({ value, onText, normalize = (text) => text, testId, ...input }: Props) {
  return (
    <Input
      data-testid={testId}
      value={value}
      autoComplete="off"
      onChange={(e) => onText(normalize(e.target.value))}
      onBlur={syncOnBlur(value, (text) => onText(normalize(text)))}
      {...input}
    />
  );
}

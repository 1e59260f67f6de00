// A radio group drawn as cards: a title and one line of explanation per option. The whole card is
// the click target (and carries the option's test id), the radio inside keeps arrow-key navigation.

import { Radio } from "antd";
import type { ReactNode } from "react";

export interface ChoiceOption<V extends string> {
  value: V;
  title: ReactNode;
  description?: ReactNode;
  testId?: string;
}

interface Props<V extends string> {
  name: string;
  value: V;
  options: ChoiceOption<V>[];
  onChange: (value: V) => void;
  /** Cards per row; they wrap to fewer on narrow windows. */
  columns?: number;
  ariaLabel?: string;
}

export function ChoiceCards<V extends string>({ name, value, options, onChange, columns = options.length, ariaLabel }: Props<V>) {
  return (
    <Radio.Group
      name={name}
      value={value}
      onChange={(e) => onChange(e.target.value as V)}
      className="choice-cards"
      style={{ gridTemplateColumns: `repeat(auto-fit, minmax(${columns >= 3 ? 200 : 260}px, 1fr))` }}
      aria-label={ariaLabel}
    >
      {options.map((option) => {
        const checked = option.value === value;
        return (
          <div
            key={option.value}
            className={checked ? "choice-card is-checked" : "choice-card"}
            data-testid={option.testId}
            data-checked={checked}
            onClick={() => {
              if (!checked) onChange(option.value);
            }}
          >
            <Radio value={option.value}>
              <span className="choice-card-title">{option.title}</span>
            </Radio>
            {option.description ? <div className="choice-card-desc">{option.description}</div> : null}
          </div>
        );
      })}
    </Radio.Group>
  );
}

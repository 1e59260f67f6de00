// One labelled form field with its problems underneath, and `data-field` so a refused save can
// put the cursor on it.

import { Form } from "antd";
import type { ReactNode } from "react";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import { useLanguage } from "../../i18n";
import { helpOf, statusOf } from "./problems";

interface Props {
  label: ReactNode;
  field: string;
  problems: readonly FieldProblem[];
  /** The problems' element gets `<testId>-message`. */
  testId: string;
  required?: boolean;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
}

export function Field({ label, field, problems, testId, required, extra, children, className }: Props) {
  const language = useLanguage();
  return (
    <div data-field={field} className={className}>
      <Form.Item
        label={label}
        required={required}
        validateStatus={statusOf(problems, field)}
        help={helpOf(problems, field, language, `${testId}-message`)}
        extra={extra}
      >
        {children}
      </Form.Item>
    </div>
  );
}

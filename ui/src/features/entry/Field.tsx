// One labelled form field with its problems underneath, and `data-field` so a refused save can
// put the cursor on it; with `span`, in its column of the form's grid.

import { Col, Form, Typography } from "antd";
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
  /** The field's width in the form's 24-column grid (inside a `Row`); absent: no column. */
  span?: number;
}

export function Field({ label, field, problems, testId, required, extra, children, className, span }: Props) {
  const language = useLanguage();
  const item = (
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
  return span === undefined ? item : <Col span={span}>{item}</Col>;
}

/** The title of a section of an entry form. */
export function FormSection({ title }: { title: ReactNode }) {
  return (
    <Typography.Title level={5} className="entry-section">
      {title}
    </Typography.Title>
  );
}

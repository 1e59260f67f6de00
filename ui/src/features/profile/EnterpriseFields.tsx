// The enterprise profile fields, shared by the first-run wizard and Settings. The parent owns the
// values, the USCC check (`useUsccCheck`) and the field errors.

import { CheckCircleFilled } from "@ant-design/icons";
import { Col, Form, Input, Row } from "antd";
import { useState, type ChangeEvent } from "react";
import type { EnterpriseInput } from "../../api";
import { syncOnBlur } from "../../components/syncOnBlur";
import { SyncedInput } from "./SyncedInput";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { toCodeCase } from "../../lib/text";
import { fieldErrorText, type FieldErrors } from "./fieldErrors";
import type { UsccCheckState } from "./useUsccCheck";

interface Props {
  value: EnterpriseInput;
  onChange: (patch: Partial<EnterpriseInput>) => void;
  uscc: UsccCheckState;
  errors: FieldErrors;
  /** Show "required"/"too short" as errors even before the clerk leaves the field (after "next"). */
  strict: boolean;
  autoFocus?: boolean;
}

/** Upper-cases (and folds full-width) as typed, keeping the caret where it was. */
function codeCaseChange(event: ChangeEvent<HTMLInputElement>): string {
  // antd hands `onChange` a copy of the <input> as `event.target`; the caret lives on the real one.
  const native = event.nativeEvent.target;
  const input = native instanceof HTMLInputElement ? native : event.target;
  const folded = toCodeCase(input.value);
  if (folded !== input.value && !(event.nativeEvent as InputEvent).isComposing) {
    const { selectionStart, selectionEnd } = input;
    input.value = folded;
    if (selectionStart !== null && selectionEnd !== null) input.setSelectionRange(selectionStart, selectionEnd);
  }
  return input.value;
}

export function EnterpriseFields({ value, onChange, uscc, errors, strict, autoFocus }: Props) {
  const t = useT();
  const language = useLanguage();
  const [usccLeft, setUsccLeft] = useState(false);

  const nameError = fieldErrorText(errors["enterprise.name"], t, language);
  const usccServerError = fieldErrorText(errors["enterprise.uscc"], t, language);

  // What to show under the USCC field.
  let usccStatus: "" | "success" | "warning" | "error" = "";
  let usccMessage: string | undefined;
  const check = uscc.check;
  if (usccServerError) {
    usccStatus = "error";
    usccMessage = usccServerError;
  } else if (check && ((value.uscc.trim() !== "" && uscc.checkedText?.trim()) || strict)) {
    usccMessage = localMessage(check, language);
    // A warning (the inner organisation-code check at position 17) does not stop the save.
    if (check.valid) usccStatus = check.warning ? "warning" : "success";
    else {
      // While the clerk is still typing the 18 characters, "当前为 12 位" is progress, not an error.
      const stillTyping = check.position === null && check.normalized.length > 0 && check.normalized.length < 18;
      usccStatus = stillTyping && !strict && !usccLeft ? "" : "error";
    }
  }

  /** The optional free-text fields: label, placeholder and test id follow the field's name. */
  const contactField = (key: "address" | "contact" | "phone" | "licenceNo" | "productionAddress", maxLength: number, inputMode?: "tel") => (
    <Form.Item
      label={t.enterprise[key]}
      validateStatus={errors[`enterprise.${key}`] ? "error" : ""}
      help={fieldErrorText(errors[`enterprise.${key}`], t, language)}
    >
      <SyncedInput
        testId={`enterprise-${key}`}
        value={value[key]}
        placeholder={t.enterprise[`${key}Placeholder`]}
        maxLength={maxLength}
        inputMode={inputMode}
        onText={(text) => onChange({ [key]: text })}
      />
    </Form.Item>
  );

  return (
    <>
      <Form.Item
        label={t.enterprise.name}
        required
        validateStatus={nameError ? "error" : ""}
        help={nameError ? <span data-testid="enterprise-name-message">{nameError}</span> : undefined}
      >
        <SyncedInput
          testId="enterprise-name"
          value={value.name}
          placeholder={t.enterprise.namePlaceholder}
          autoFocus={autoFocus}
          maxLength={100}
          onText={(name) => onChange({ name })}
        />
      </Form.Item>
      <Form.Item
        label={t.enterprise.uscc}
        required
        validateStatus={usccStatus}
        help={
          usccMessage ? (
            <span data-testid="enterprise-uscc-message" data-valid={usccStatus === "success"}>
              {usccMessage}
            </span>
          ) : undefined
        }
        extra={usccMessage ? undefined : t.enterprise.usccExtra}
      >
        <Input
          data-testid="enterprise-uscc"
          className="code-input"
          value={value.uscc}
          placeholder={t.enterprise.usccPlaceholder}
          maxLength={24}
          autoComplete="off"
          spellCheck={false}
          suffix={
            usccStatus === "success" ? (
              <CheckCircleFilled className="uscc-ok" data-testid="enterprise-uscc-ok" aria-label="ok" />
            ) : (
              <span />
            )
          }
          onChange={(e) => onChange({ uscc: codeCaseChange(e) })}
          onCompositionEnd={(e) => onChange({ uscc: toCodeCase(e.currentTarget.value) })}
          onBlur={(e) => {
            setUsccLeft(true);
            syncOnBlur(value.uscc, (uscc) => onChange({ uscc: toCodeCase(uscc) }))(e);
          }}
        />
      </Form.Item>
      {contactField("address", 200)}
      <Row gutter={16}>
        <Col span={12}>{contactField("contact", 50)}</Col>
        <Col span={12}>{contactField("phone", 50, "tel")}</Col>
      </Row>
      <Row gutter={16}>
        <Col span={10}>{contactField("licenceNo", 50)}</Col>
        <Col span={14}>{contactField("productionAddress", 200)}</Col>
      </Row>
    </>
  );
}

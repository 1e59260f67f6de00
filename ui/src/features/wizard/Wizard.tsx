// First-run wizard: 企业信息 → 赋码方案 → 平台连接, saved in one `complete_setup` call. Enter moves
// to the next field and, on a step's last field, to the next step. A field error from the back end
// brings the clerk back to the step that holds the field, with the message under it.

import { Alert, App, Button, Card, Checkbox, Form, Steps, Typography } from "antd";
import { useEffect, useRef, useState, type ComponentProps } from "react";
import {
  isApiError,
  useBackend,
  type AppStatus,
  type CodeScheme,
  type CodingSettings,
  type EnterpriseInput,
  type Granularity,
  type PlatformMode,
  type PlatformSettings,
} from "../../api";
import { useAppState } from "../../appState";
import { ChoiceCards } from "../../components/ChoiceCards";
import { focusFieldIn, handleEnterKey } from "../../components/enterNavigation";
import { LanguageSwitch } from "../../components/LanguageSwitch";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { stepOfField } from "../../lib/apiError";
import { isDigits, toCodeCase } from "../../lib/text";
import { EnterpriseFields } from "../profile/EnterpriseFields";
import { SyncedInput } from "../profile/SyncedInput";
import { FIELD_TEST_IDS, fieldErrorText, withoutField, type FieldErrors } from "../profile/fieldErrors";
import { useUsccCheck } from "../profile/useUsccCheck";

/** Step order; each name is also the prefix of the back end's field names on that step. */
export const WIZARD_STEPS = ["enterprise", "coding", "platform"] as const;
const LAST_STEP = WIZARD_STEPS.length - 1;

const SCHEMES: CodeScheme[] = ["gs1", "ecode", "digital-id"];
const GRANULARITIES: Granularity[] = ["product", "batch", "item"];

function initialEnterprise(status: AppStatus): EnterpriseInput {
  const e = status.enterprise;
  return {
    name: e?.name ?? "",
    uscc: e?.uscc ?? "",
    address: e?.address ?? "",
    contact: e?.contact ?? "",
    phone: e?.phone ?? "",
    licenceNo: e?.licenceNo ?? "",
    productionAddress: e?.productionAddress ?? "",
  };
}

function initialCoding(status: AppStatus): CodingSettings {
  return status.coding ?? { scheme: "gs1", ccc: false, granularity: "batch", gs1CompanyPrefix: "", ecodePrefix: "" };
}

function initialPlatform(status: AppStatus): PlatformSettings {
  return status.platform ?? { mode: "practice", url: "", appKey: "" };
}

export function Wizard() {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const { status, setStatus, switchLanguage } = useAppState();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();

  const [step, setStep] = useState(0);
  const [enterprise, setEnterprise] = useState(() => initialEnterprise(status));
  const [coding, setCoding] = useState(() => initialCoding(status));
  const [platform, setPlatform] = useState(() => initialPlatform(status));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [strict, setStrict] = useState(false);
  const [busy, setBusy] = useState(false);

  const uscc = useUsccCheck(enterprise.uscc);
  const bodyRef = useRef<HTMLDivElement>(null);
  // Which field to focus once the current step has rendered (`undefined`: its first field).
  const focusTarget = useRef<string | undefined>(undefined);

  useEffect(() => {
    focusFieldIn(bodyRef.current, focusTarget.current);
    focusTarget.current = undefined;
  }, [step]);

  const goTo = (next: number, focusTestId?: string) => {
    if (next === step) {
      focusFieldIn(bodyRef.current, focusTestId);
    } else {
      focusTarget.current = focusTestId;
      setStep(next);
    }
  };

  /** Applies a change to one section and clears the errors of the fields it touched. */
  const clearErrors = (section: string, patch: object) =>
    setErrors((prev) => Object.keys(patch).reduce((acc, key) => withoutField(acc, `${section}.${key}`), prev));
  const patchEnterprise = (patch: Partial<EnterpriseInput>) => {
    setEnterprise((prev) => ({ ...prev, ...patch }));
    clearErrors("enterprise", patch);
  };
  const patchCoding = (patch: Partial<CodingSettings>) => {
    setCoding((prev) => ({ ...prev, ...patch }));
    clearErrors("coding", patch);
  };
  const patchPlatform = (patch: Partial<PlatformSettings>) => {
    setPlatform((prev) => ({ ...prev, ...patch }));
    clearErrors("platform", patch);
  };

  /** Client-side checks of one step; the back end checks everything again on "finish". */
  const checkStep = async (index: number): Promise<string | null> => {
    if (WIZARD_STEPS[index] === "enterprise") {
      setStrict(true);
      let firstBad: string | null = null;
      if (!enterprise.name.trim()) {
        setErrors((prev) => ({ ...prev, "enterprise.name": { kind: "local", text: (m) => m.enterprise.nameRequired } }));
        firstBad = "enterprise.name";
      }
      try {
        const check = await uscc.checkNow();
        if (!check.valid) firstBad ??= "enterprise.uscc";
      } catch {
        // The check itself failed; "finish" will validate on the back end and say what is wrong.
      }
      return firstBad;
    }
    if (WIZARD_STEPS[index] === "coding") {
      const prefix = coding.gs1CompanyPrefix.trim();
      if (coding.scheme === "gs1" && prefix !== "" && (!isDigits(prefix) || prefix.length < 7 || prefix.length > 12)) {
        setErrors((prev) => ({ ...prev, "coding.gs1CompanyPrefix": { kind: "local", text: (m) => m.wizard.gs1PrefixInvalid } }));
        return "coding.gs1CompanyPrefix";
      }
    }
    return null;
  };

  const next = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const bad = await checkStep(step);
      if (bad) goTo(step, FIELD_TEST_IDS[bad]);
      else if (step < LAST_STEP) goTo(step + 1);
      else await finish();
    } finally {
      setBusy(false);
    }
  };

  const finish = async () => {
    try {
      const status = await backend.completeSetup({ enterprise, coding, platform });
      message.success(t.wizard.done);
      setStatus(status);
    } catch (reason) {
      const at = isApiError(reason) ? stepOfField(reason.field, WIZARD_STEPS) : null;
      if (isApiError(reason) && reason.field && at !== null) {
        setErrors((prev) => ({ ...prev, [reason.field as string]: { kind: "api", error: reason } }));
        setStrict(true);
        goTo(at, FIELD_TEST_IDS[reason.field]);
      } else {
        notifyError(reason);
      }
    }
  };

  const back = () => {
    if (step > 0) goTo(step - 1);
  };

  /** The required choice of the coding scheme or granularity, as cards (`<name>-<value>`). */
  const choice = <K extends "scheme" | "granularity">(
    name: K,
    label: string,
    values: readonly CodingSettings[K][],
    text: (value: CodingSettings[K]) => { title: string; description: string },
  ) => (
    <Form.Item label={label} required>
      <ChoiceCards<CodingSettings[K]>
        name={name}
        value={coding[name]}
        onChange={(value) => patchCoding({ [name]: value })}
        ariaLabel={label}
        options={values.map((value) => ({ value, ...text(value), testId: `${name}-${value}` }))}
      />
    </Form.Item>
  );
  const errorOf = (field: string) => fieldErrorText(errors[field], t, language);
  const itemError = (field: string, testId: string) => {
    const text = errorOf(field);
    return text
      ? { validateStatus: "error" as const, help: <span data-testid={`${testId}-message`}>{text}</span> }
      : {};
  };

  /** The company prefix of the chosen scheme; its help shows until it has a problem. */
  const prefix = (
    field: "gs1CompanyPrefix" | "ecodePrefix",
    testId: string,
    label: string,
    help: string,
    input: Omit<ComponentProps<typeof SyncedInput>, "testId" | "value" | "onText">,
  ) => (
    <Form.Item label={label} extra={errorOf(`coding.${field}`) ? undefined : help} {...itemError(`coding.${field}`, testId)}>
      <SyncedInput testId={testId} className="code-input prefix-input" value={coding[field]} onText={(text) => patchCoding({ [field]: text })} {...input} />
    </Form.Item>
  );

  /** A required code-like field of a real platform (no spell check). */
  const platformField = (field: "url" | "appKey", testId: string, label: string, input: Omit<ComponentProps<typeof SyncedInput>, "testId" | "value" | "onText">) => (
    <Form.Item label={label} required {...itemError(`platform.${field}`, testId)}>
      <SyncedInput testId={testId} className="code-input" value={platform[field]} spellCheck={false} onText={(text) => patchPlatform({ [field]: text })} {...input} />
    </Form.Item>
  );

  const stepContent = [
    <div key="enterprise">
      <Typography.Paragraph type="secondary" className="step-intro">
        {t.wizard.enterpriseIntro}
      </Typography.Paragraph>
      <EnterpriseFields value={enterprise} onChange={patchEnterprise} uscc={uscc} errors={errors} strict={strict} />
    </div>,

    <div key="coding">
      <Typography.Paragraph type="secondary" className="step-intro">
        {t.wizard.codingIntro}
      </Typography.Paragraph>
      {choice("scheme", t.wizard.schemeLabel, SCHEMES, (s) => ({ title: t.scheme[s].title, description: t.scheme[s].issuer }))}
      {coding.scheme === "gs1" &&
        prefix("gs1CompanyPrefix", "gs1-company-prefix", t.wizard.gs1Prefix, t.wizard.gs1PrefixHelp, {
          placeholder: t.wizard.gs1PrefixPlaceholder,
          inputMode: "numeric",
          maxLength: 12,
          normalize: toCodeCase,
        })}
      {coding.scheme === "ecode" &&
        prefix("ecodePrefix", "ecode-prefix", t.wizard.ecodePrefix, t.wizard.ecodePrefixHelp, { placeholder: t.wizard.ecodePrefixPlaceholder, maxLength: 40 })}
      {coding.scheme === "digital-id" && (
        <Typography.Paragraph type="secondary" className="scheme-note">
          {t.wizard.digitalIdNote}
        </Typography.Paragraph>
      )}
      <Form.Item>
        <span
          data-testid="coding-ccc"
          data-checked={coding.ccc}
          className="checkbox-target"
          onClick={(e) => {
            // A click on the wrapper itself (not on the checkbox or its label) toggles too.
            if (e.target === e.currentTarget) patchCoding({ ccc: !coding.ccc });
          }}
        >
          <Checkbox checked={coding.ccc} onChange={(e) => patchCoding({ ccc: e.target.checked })}>
            {t.wizard.ccc}
          </Checkbox>
        </span>
      </Form.Item>
      {choice("granularity", t.wizard.granularityLabel, GRANULARITIES, (g) => ({ title: t.granularity[g].title, description: t.granularity[g].desc }))}
    </div>,

    <div key="platform">
      <Typography.Paragraph type="secondary" className="step-intro">
        {t.wizard.platformIntro}
      </Typography.Paragraph>
      <Form.Item>
        <ChoiceCards<PlatformMode>
          name="platform-mode"
          value={platform.mode}
          onChange={(mode) => patchPlatform({ mode })}
          columns={2}
          options={[
            { value: "practice", title: t.wizard.practiceTitle, description: t.wizard.practiceDesc, testId: "platform-practice" },
            { value: "remote", title: t.wizard.remoteTitle, description: t.wizard.remoteDesc, testId: "platform-remote" },
          ]}
        />
      </Form.Item>
      {platform.mode === "remote" && (
        <>
          {platformField("url", "platform-url", t.wizard.url, { placeholder: t.wizard.urlPlaceholder, inputMode: "url" })}
          {platformField("appKey", "platform-app-key", t.wizard.appKey, { placeholder: t.wizard.appKeyPlaceholder })}
          <Alert type="info" showIcon title={t.wizard.secretNote} className="secret-note" />
        </>
      )}
    </div>,
  ];

  return (
    <div data-testid="wizard" className="wizard">
      <header className="wizard-top">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            溯
          </span>
          <span className="brand-name">{t.app.name}</span>
          <span className="brand-tagline">{t.app.tagline}</span>
        </div>
        <LanguageSwitch value={status.language} onChange={switchLanguage} />
      </header>
      <Card className="wizard-card">
        <Typography.Title level={4} className="wizard-title">
          {t.wizard.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t.wizard.subtitle}</Typography.Paragraph>
        <Steps
          className="wizard-steps"
          current={step}
          onChange={(index) => {
            if (index < step) goTo(index);
          }}
          items={WIZARD_STEPS.map((s, index) => ({
            title: t.wizard.steps[s],
            disabled: index > step,
            status: Object.keys(errors).some((f) => f.startsWith(`${s}.`)) && index !== step ? "error" : undefined,
          }))}
        />
        <div
          className="wizard-body"
          ref={bodyRef}
          onKeyDown={(e) => handleEnterKey(e, () => void next())}
          data-step={WIZARD_STEPS[step]}
        >
          <Form layout="vertical" component="div" requiredMark>
            {stepContent[step]}
          </Form>
        </div>
        <footer className="wizard-footer">
          <Typography.Text type="secondary" className="enter-hint">
            {t.common.enterHint}
          </Typography.Text>
          <div className="wizard-buttons">
            <Button data-testid="wizard-back" onClick={back} disabled={step === 0 || busy}>
              {t.common.back}
            </Button>
            {step < LAST_STEP ? (
              <Button data-testid="wizard-next" type="primary" onClick={() => void next()}>
                {t.common.next}
              </Button>
            ) : (
              <Button data-testid="wizard-finish" type="primary" onClick={() => void next()} loading={busy}>
                {busy ? t.wizard.saving : t.common.finish}
              </Button>
            )}
          </div>
        </footer>
      </Card>
    </div>
  );
}

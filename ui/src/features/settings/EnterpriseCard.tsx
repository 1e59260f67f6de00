// Settings → 企业信息: the profile, editable, with the same live USCC check as the wizard.
// Enter moves through the fields; Enter on the last field or Ctrl+S saves.

import { App, Button, Card, Form, Space } from "antd";
import { useState } from "react";
import { isApiError, useBackend, type Enterprise, type EnterpriseInput } from "../../api";
import { useAppState } from "../../appState";
import { focusFieldIn, handleEnterKey } from "../../components/enterNavigation";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";
import { EnterpriseFields } from "../profile/EnterpriseFields";
import { FIELD_TEST_IDS, withoutField, type FieldErrors } from "../profile/fieldErrors";
import { useUsccCheck } from "../profile/useUsccCheck";

const toInput = (e: Enterprise | null): EnterpriseInput => ({
  name: e?.name ?? "",
  uscc: e?.uscc ?? "",
  address: e?.address ?? "",
  contact: e?.contact ?? "",
  phone: e?.phone ?? "",
  licenceNo: e?.licenceNo ?? "",
  productionAddress: e?.productionAddress ?? "",
});

const same = (a: EnterpriseInput, b: EnterpriseInput) =>
  a.name === b.name && a.uscc === b.uscc && a.address === b.address && a.contact === b.contact && a.phone === b.phone;

export function EnterpriseCard() {
  const t = useT();
  const backend = useBackend();
  const { status, setStatus } = useAppState();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();

  const saved = toInput(status.enterprise);
  const [draft, setDraft] = useState<EnterpriseInput>(saved);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [strict, setStrict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [formEl, setFormEl] = useState<HTMLDivElement | null>(null);
  const uscc = useUsccCheck(draft.uscc);
  const dirty = !same(draft, saved);

  const patch = (p: Partial<EnterpriseInput>) => {
    setDraft((prev) => ({ ...prev, ...p }));
    setErrors((prev) => Object.keys(p).reduce((acc, key) => withoutField(acc, `enterprise.${key}`), prev));
  };

  const save = async () => {
    if (saving || !dirty) return;
    setSaving(true);
    setStrict(true);
    try {
      if (!draft.name.trim()) {
        setErrors((prev) => ({ ...prev, "enterprise.name": { kind: "local", text: (m) => m.enterprise.nameRequired } }));
        focusFieldIn(formEl, FIELD_TEST_IDS["enterprise.name"]);
        return;
      }
      const enterprise = await backend.saveEnterprise(draft);
      setStatus({ ...status, enterprise });
      setDraft(toInput(enterprise));
      setStrict(false);
      message.success(t.settings.enterpriseSaved);
    } catch (reason) {
      if (isApiError(reason) && reason.field && FIELD_TEST_IDS[reason.field]) {
        setErrors((prev) => ({ ...prev, [reason.field as string]: { kind: "api", error: reason } }));
        focusFieldIn(formEl, FIELD_TEST_IDS[reason.field]);
      } else {
        notifyError(reason);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t.settings.enterpriseTitle} className="settings-card" data-testid="settings-enterprise">
      <div
        ref={setFormEl}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
            e.preventDefault();
            void save();
            return;
          }
          handleEnterKey(e, () => void save());
        }}
      >
        <Form layout="vertical" component="div" className="settings-form">
          <EnterpriseFields value={draft} onChange={patch} uscc={uscc} errors={errors} strict={strict} />
        </Form>
        <Space>
          <Button
            type="primary"
            data-testid="settings-enterprise-save"
            onClick={() => void save()}
            loading={saving}
            disabled={!dirty}
          >
            {t.common.save}
          </Button>
          <Button
            data-testid="settings-enterprise-reset"
            disabled={!dirty || saving}
            onClick={() => {
              setDraft(saved);
              setErrors({});
              setStrict(false);
            }}
          >
            {t.common.reset}
          </Button>
        </Space>
      </div>
    </Card>
  );
}

// A product's coding settings: how its GS1 codes are written (element string or Digital Link on
// a stem), which optional AIs they carry, how 一物一码 serials are made, and its granularity
// (fixed once it has codes). Test ids: `coding-settings-*`.

import { type ButtonProps, Alert, Form, Input, InputNumber, Modal, Radio, Select, Switch } from "antd";
import { useState } from "react";
import { useBackend } from "../../api";
import type { ProductCoding, ProductCodingInput } from "../../api/codingApi";
import type { Granularity } from "../../api";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";

interface Props {
  product: ProductCoding;
  onClose: () => void;
  onSaved: (product: ProductCoding) => void;
}

export function CodingSettings({ product, onClose, onSaved }: Props) {
  const t = useT();
  const backend = useBackend();
  const showError = useErrorNotice();
  const [saving, setSaving] = useState(false);
  const [value, setValue] = useState<ProductCodingInput>({
    granularity: product.granularity,
    codeForm: product.codeForm,
    dlStem: product.dlStem,
    serialMode: product.serialMode,
    serialPattern: product.serialPattern,
    randomLength: product.randomLength,
    itemWithLot: product.itemWithLot,
    withProductionDate: product.withProductionDate,
    shelfLifeDays: product.shelfLifeDays,
  });
  const set = (patch: Partial<ProductCodingInput>) => setValue((v) => ({ ...v, ...patch }));
  const gs1 = product.scheme === "gs1";
  const granularity = value.granularity ?? product.granularity;

  const save = async () => {
    setSaving(true);
    try {
      onSaved(await backend.saveProductCoding(product.productId, value));
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t.coding.settingsTitle(product.name)}
      okText={t.common.save}
      cancelText={t.common.cancel}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ "data-testid": "coding-settings-save" } as ButtonProps}
      destroyOnHidden
    >
      <Form layout="vertical" data-testid="coding-settings">
        <Form.Item label={t.coding.granularityLabel} help={product.granularityLocked ? t.coding.granularityLocked : undefined}>
          <Select<Granularity>
            data-testid="coding-settings-granularity"
            value={granularity}
            disabled={product.granularityLocked}
            onChange={(g) => set({ granularity: g })}
            options={(["product", "batch", "item"] as Granularity[]).map((g) => ({ value: g, label: t.granularity[g].title }))}
          />
        </Form.Item>
        {gs1 ? (
          <>
            <Form.Item label={t.coding.formLabel}>
              <Radio.Group
                value={value.codeForm}
                onChange={(e) => set({ codeForm: e.target.value })}
                options={[
                  { value: "element-string", label: t.coding.forms["element-string"] },
                  { value: "digital-link", label: t.coding.forms["digital-link"] },
                ]}
              />
            </Form.Item>
            {value.codeForm === "digital-link" && (
              <Form.Item label={t.coding.stemLabel} help={t.coding.stemHelp}>
                <Input data-testid="coding-settings-stem" value={value.dlStem} onChange={(e) => set({ dlStem: e.target.value })} />
              </Form.Item>
            )}
            {granularity !== "product" && (
              <Form.Item label={t.coding.datesLabel}>
                <Switch checked={value.withProductionDate} onChange={(c) => set({ withProductionDate: c })} /> {t.coding.withProductionDate}
                <div className="coding-inline">
                  {t.coding.shelfLife}{" "}
                  <InputNumber
                    min={1}
                    max={36500}
                    value={value.shelfLifeDays ?? undefined}
                    onChange={(v) => set({ shelfLifeDays: typeof v === "number" ? v : null })}
                    placeholder={t.coding.none}
                  />
                </div>
              </Form.Item>
            )}
            {granularity === "item" && (
              <>
                <Form.Item label={t.coding.itemWithLot}>
                  <Switch checked={value.itemWithLot} onChange={(c) => set({ itemWithLot: c })} />
                </Form.Item>
                <Form.Item label={t.coding.serialModeLabel}>
                  <Radio.Group
                    value={value.serialMode}
                    onChange={(e) => set({ serialMode: e.target.value })}
                    options={[
                      { value: "sequential", label: t.coding.serialModes.sequential },
                      { value: "random", label: t.coding.serialModes.random },
                    ]}
                  />
                </Form.Item>
                {value.serialMode === "sequential" ? (
                  <Form.Item label={t.coding.patternLabel} help={t.coding.patternHelp}>
                    <Input
                      data-testid="coding-settings-pattern"
                      value={value.serialPattern}
                      onChange={(e) => set({ serialPattern: e.target.value })}
                    />
                  </Form.Item>
                ) : (
                  <Form.Item label={t.coding.randomLengthLabel} help={t.coding.randomLengthHelp}>
                    <InputNumber min={8} max={20} value={value.randomLength} onChange={(v) => set({ randomLength: v ?? 12 })} />
                  </Form.Item>
                )}
              </>
            )}
          </>
        ) : (
          <Alert type="info" showIcon title={t.coding.importedSchemeNote} />
        )}
      </Form>
    </Modal>
  );
}

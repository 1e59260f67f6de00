// 产品 form: name, model, category from the catalogues, brand, standard, GTIN (checked as typed,
// or generated from the company prefix), scheme and granularity, and the CCC certificate.

import { Button, Input, Radio, Row, Select, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { CatalogueEntry } from "../../api/bindings/CatalogueEntry";
import type { GtinCheck } from "../../api/bindings/GtinCheck";
import type { OemRole } from "../../api/bindings/OemRole";
import type { Product } from "../../api/bindings/Product";
import type { ProductInput } from "../../api/bindings/ProductInput";
import { useAppState } from "../../appState";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { toCodeCase } from "../../lib/text";
import { EntryDrawer } from "../entry/EntryDrawer";
import { Field, FormSection } from "../entry/Field";
import { DateFormField, SuggestField, TextField } from "../entry/TextField";
import { useRecordForm, type RecordFormProps } from "../entry/useRecordForm";

/** Standards the 执行标准 field suggests. */
const STANDARDS = ["GB 16410-2020", "GB/T 5023", "GB 17761-2024", "GB 2099.1"];

export function blankProduct(): ProductInput {
  return {
    name: "",
    model: "",
    category: "",
    brand: "",
    standard: "",
    gtin: "",
    scheme: null,
    granularity: null,
    cccCertNo: "",
    cccValidFrom: "",
    cccValidTo: "",
    cccMarkNo: "",
    cccModels: [],
    licenceNo: "",
    productionAddress: "",
    oemRole: "none",
    oemName: "",
    oemUscc: "",
  };
}

export function productInput(p: Product): ProductInput {
  return {
    name: p.name,
    model: p.model,
    category: p.category,
    brand: p.brand,
    standard: p.standard,
    gtin: p.gtin ?? "",
    scheme: p.scheme,
    granularity: p.granularity,
    cccCertNo: p.cccCertNo ?? "",
    cccValidFrom: p.cccValidFrom ?? "",
    cccValidTo: p.cccValidTo ?? "",
    cccMarkNo: p.cccMarkNo ?? "",
    cccModels: p.cccModels,
    licenceNo: p.licenceNo,
    productionAddress: p.productionAddress,
    oemRole: p.oemRole,
    oemName: p.oemName,
    oemUscc: p.oemUscc,
  };
}

interface Props extends RecordFormProps<Product> {
  open: boolean;
  catalogue: CatalogueEntry[];
}

export function ProductForm({ open, catalogue, ...props }: Props) {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const { status } = useAppState();
  const [gtinCheck, setGtinCheck] = useState<GtinCheck | null>(null);
  const { editing } = props;
  const { form, drawer } = useRecordForm<ProductInput, Product>(props, {
    kind: "product",
    fromRecord: productInput,
    blank: blankProduct,
    check: backend.checkProduct,
    add: backend.addProduct,
    update: backend.updateProduct,
    texts: t.products,
    label: (p) => p.name,
    onNext: () => setGtinCheck(null),
    enabled: open,
  });
  const v = form.value;

  useEffect(() => {
    const text = v.gtin.trim();
    if (!text) {
      setGtinCheck(null);
      return;
    }
    let live = true;
    backend.checkGtin(text).then((c) => live && setGtinCheck(c), () => undefined);
    return () => {
      live = false;
    };
  }, [backend, v.gtin]);

  const generate = async () => {
    try {
      const s = await backend.suggestGtin();
      form.set({ gtin: s.gtin });
    } catch (reason) {
      notifyError(reason);
    }
  };

  const scheme = v.scheme ?? status.coding?.scheme ?? "gs1";
  const granularity = v.granularity ?? status.coding?.granularity ?? "batch";
  /** The product's own scheme or granularity; shown is the enterprise's until one is chosen. */
  const choice = <K extends "scheme" | "granularity">(field: K, label: string, value: NonNullable<ProductInput[K]>, options: { value: NonNullable<ProductInput[K]>; label: string }[]) => (
    <Field span={6} label={label} field={field} problems={form.problems} testId={`product-${field}`}>
      <Select value={value} onChange={(v) => form.set({ [field]: v } as Partial<ProductInput>)} options={options} data-testid={`product-${field}`} />
    </Field>
  );
  const categoryOptions = ["key", "ccc"].map((c) => ({
    label: c === "key" ? t.products.keyCatalogue : t.products.cccCatalogue,
    options: catalogue
      .filter((e) => e.catalogue === c)
      .map((e) => ({ value: e.code, label: `${e.name}（${e.code}）`, search: `${e.name} ${e.code} ${e.group}` })),
  }));
  const gtinHelp =
    gtinCheck && gtinCheck.valid ? (
      <Typography.Text type="success" data-testid="product-gtin-ok">
        {language === "en" ? gtinCheck.messageEn : gtinCheck.messageZh}
      </Typography.Text>
    ) : gtinCheck && !form.problems.some((p) => p.field === "gtin") ? (
      <Typography.Text type="danger" data-testid="product-gtin-live">
        {language === "en" ? gtinCheck.messageEn : gtinCheck.messageZh}
      </Typography.Text>
    ) : undefined;

  return (
    <EntryDrawer {...drawer} status={editing ? <Tag>{t.entry.editing}</Tag> : null}>
      <Row gutter={16}>
        <TextField span={12} form={form} field="name" label={t.products.name} testId="product-name" required />
        <TextField span={12} form={form} field="model" label={t.products.model} testId="product-model" />
        <Field span={12} label={t.products.category} field="category" problems={form.problems} testId="product-category">
          <Select
            showSearch={{ optionFilterProp: "search" }}
            allowClear
            value={v.category || undefined}
            onChange={(value) => form.set({ category: value ?? "" })}
            options={categoryOptions}
            placeholder={t.products.categoryPlaceholder}
            data-testid="product-category"
          />
        </Field>
        <TextField span={6} form={form} field="brand" label={t.products.brand} testId="product-brand" />
        <SuggestField span={6} form={form} field="standard" label={t.products.standard} testId="product-standard" suggestions={STANDARDS} />
        <Field span={12} label="GTIN" field="gtin" problems={form.problems} testId="product-gtin" extra={gtinHelp}>
          <Space.Compact style={{ width: "100%" }}>
            <Input
              value={v.gtin}
              onChange={(e) => form.set({ gtin: e.target.value })}
              placeholder={t.products.gtinPlaceholder}
              data-testid="product-gtin"
            />
            <Button onClick={generate} data-testid="product-gtin-generate" tabIndex={-1}>
              {t.products.generateGtin}
            </Button>
          </Space.Compact>
        </Field>
        {choice("scheme", t.summary.scheme, scheme, (["gs1", "ecode", "digital-id"] as const).map((s) => ({ value: s, label: t.scheme[s].title })))}
        {choice("granularity", t.summary.granularity, granularity, (["product", "batch", "item"] as const).map((g) => ({ value: g, label: t.granularity[g].title })))}
      </Row>
      <FormSection title={t.products.cccSection} />
      <Row gutter={16}>
        <TextField span={12} form={form} field="cccCertNo" label={t.products.cccCertNo} testId="product-ccc" />
        <DateFormField span={6} form={form} field="cccValidFrom" label={t.products.cccValidFrom} testId="product-ccc-from" />
        <DateFormField span={6} form={form} field="cccValidTo" label={t.products.cccValidTo} testId="product-ccc-to" />
        <Field span={12} label={t.products.cccModels} field="cccModels" problems={form.problems} testId="product-ccc-models">
          <Input
            value={v.cccModels.join("，")}
            onChange={(e) => form.set({ cccModels: e.target.value.split(/[,，、;；]/) })}
            placeholder={t.products.cccModelsPlaceholder}
            data-testid="product-ccc-models"
          />
        </Field>
        <TextField span={12} form={form} field="cccMarkNo" label={t.products.cccMarkNo} testId="product-ccc-mark" />
      </Row>
      <FormSection title={t.products.licenceSection} />
      <Row gutter={16}>
        <TextField span={12} form={form} field="licenceNo" label={t.products.licenceNo} testId="product-licence" />
        <TextField span={12} form={form} field="productionAddress" label={t.products.productionAddress} testId="product-production-address" />
        <Field span={24} label={t.products.oemRole} field="oemRole" problems={form.problems} testId="product-oem-role">
          <Radio.Group
            value={v.oemRole}
            onChange={(e) => form.set({ oemRole: e.target.value as OemRole })}
            optionType="button"
            options={(["none", "manufacturer", "principal"] as const).map((r) => ({ value: r, label: t.products.oemRoles[r] }))}
            data-testid="product-oem-role"
          />
        </Field>
        {v.oemRole !== "none" && (
          <>
            <TextField
              span={12}
              form={form}
              field="oemName"
              label={v.oemRole === "manufacturer" ? t.products.oemNameManufacturer : t.products.oemNamePrincipal}
              testId="product-oem-name"
              required
            />
            <TextField span={12} form={form} field="oemUscc" label={t.products.oemUscc} testId="product-oem-uscc" normalize={toCodeCase} maxLength={24} required />
          </>
        )}
      </Row>
    </EntryDrawer>
  );
}

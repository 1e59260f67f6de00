// 产品: the product master data list and its form.

import { PlusOutlined } from "@ant-design/icons";
import { Button, Select, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { CatalogueEntry } from "../../api/bindings/CatalogueEntry";
import type { Product } from "../../api/bindings/Product";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n";
import { RecordList } from "../entry/RecordList";
import { useNewShortcut } from "../entry/shortcuts";
import { ProductForm } from "./ProductForm";

export function Products() {
  const t = useT();
  const backend = useBackend();
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);
  const [form, setForm] = useState<{ open: boolean; editing: Product | null }>({ open: false, editing: null });
  const [reload, setReload] = useState(0);
  const openNew = useCallback(() => setForm({ open: true, editing: null }), []);
  useNewShortcut(openNew, !form.open);

  useEffect(() => {
    backend.productCatalogue().then(setCatalogue, () => undefined);
  }, [backend]);

  const columns: ColumnsType<Product> = [
    { key: "name", dataIndex: "name", title: t.products.name, sorter: true, width: 160, ellipsis: true },
    { key: "model", dataIndex: "model", title: t.products.model, sorter: true, width: 120, ellipsis: true },
    {
      key: "category",
      title: t.products.category,
      sorter: true,
      width: 160,
      ellipsis: true,
      render: (_, p) => p.categoryName ?? p.category,
    },
    { key: "gtin", dataIndex: "gtin", title: "GTIN", sorter: true, width: 140 },
    {
      key: "scheme",
      title: t.summary.scheme,
      width: 150,
      render: (_, p) => `${t.scheme[p.scheme].title} · ${t.granularity[p.granularity].title}`,
    },
    { key: "cccCertNo", dataIndex: "cccCertNo", title: t.products.cccCertNo, width: 150 },
    {
      key: "cccValidTo",
      dataIndex: "cccValidTo",
      title: t.products.cccValidTo,
      sorter: true,
      width: 110,
    },
    { key: "batchCount", dataIndex: "batchCount", title: t.products.batchCount, width: 80, align: "right" },
  ];

  return (
    <div data-testid="screen-products" className="screen">
      <PageHeader
        title={t.nav.products}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="products-new">
            {t.products.add} <Tag className="key-tag">Alt+N</Tag>
          </Button>
        }
      />
      <RecordList<Product>
        testId="products"
        columns={columns}
        load={backend.listProducts}
        exportKind="products"
        exportName={t.products.exportName}
        searchPlaceholder={t.products.searchPlaceholder}
        reloadKey={reload}
        onOpen={(p) => setForm({ open: true, editing: p })}
        filters={(q, setQuery) => (
          <Select
            allowClear
            placeholder={t.products.category}
            value={q.kind ?? undefined}
            onChange={(value) => setQuery({ ...q, kind: value ?? null })}
            options={catalogue.map((e) => ({ value: e.code, label: e.name }))}
            className="record-list-filter"
            showSearch={{ optionFilterProp: "label" }}
            data-testid="products-filter-category"
          />
        )}
      />
      {form.open && (
        <ProductForm
          open={form.open}
          editing={form.editing}
          catalogue={catalogue}
          onClose={() => setForm({ open: false, editing: null })}
          onSaved={() => setReload((r) => r + 1)}
        />
      )}
    </div>
  );
}

// 产品: the product master data list and its form.

import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { CatalogueEntry } from "../../api/bindings/CatalogueEntry";
import type { Product } from "../../api/bindings/Product";
import { useT } from "../../i18n";
import { RecordScreen } from "../entry/RecordScreen";
import { ProductForm } from "./ProductForm";

export function Products() {
  const t = useT();
  const backend = useBackend();
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);

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
    <RecordScreen<Product>
      name="products"
      title={t.nav.products}
      texts={t.products}
      columns={columns}
      load={backend.listProducts}
      exportKind="products"
      filter={{
        on: "kind",
        placeholder: t.products.category,
        options: catalogue.map((e) => ({ value: e.code, label: e.name })),
        testId: "products-filter-category",
        search: true,
      }}
      form={(props) => <ProductForm open {...props} catalogue={catalogue} />}
    />
  );
}

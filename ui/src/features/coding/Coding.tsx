// 赋码: pick a product and batch, see the next codes and a label, generate a list (CSV/xlsx) with a
// progress bar that can be cancelled, print A4 label sheets, and check, void or reprint any code.
// Test ids: `coding-*`, `label-preview*`, and the 码检查 box's `code-check-*`.

import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  InputNumber,
  List,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useBackend } from "../../api";
import type {
  Allocation,
  CodeEvent,
  CodeGenerateProgress,
  CodeGenerateSummary,
  CodingBatch,
  ExportFormat,
  ImportCodesReport,
  LabelSymbology,
  ProductCoding,
} from "../../api/codingApi";
import { PageHeader } from "../../components/PageHeader";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { toApiError } from "../../api";
import type { ScreenKey } from "../shell/screens";
import { CodeCheckBox } from "./CodeCheckBox";
import { CodingSettings } from "./CodingSettings";
import { PrintDialog, type PrintSource } from "./PrintDialog";
import { showScan } from "./scanInput";
import { formatNumber } from "../../i18n/numbers";

const SYMBOLOGIES: LabelSymbology[] = ["datamatrix", "qr", "gs1-128", "ean13", "code128"];
const STATE_COLORS: Record<string, string> = { exported: "green", allocated: "orange", cancelled: "default" };
/** The label sheet the print button makes: 50 × 30 mm labels, 3 × 8 on A4, 10 mm margins. */
const SHEET = { labelWidthMm: 50, labelHeightMm: 30, cols: 3, rows: 8, marginMm: 10 };

export function Coding({ onNavigate }: { onNavigate?: (screen: ScreenKey) => void }) {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const showError = useErrorNotice();
  const [products, setProducts] = useState<ProductCoding[] | null>(null);
  const [productId, setProductId] = useState<number | null>(null);
  const [batches, setBatches] = useState<CodingBatch[]>([]);
  const [batchId, setBatchId] = useState<number | null>(null);
  const [printSource, setPrintSource] = useState<PrintSource | null>(null);
  const [symbology, setSymbology] = useState<LabelSymbology>("datamatrix");
  const [count, setCount] = useState<number | null>(100);
  const [format, setFormat] = useState<ExportFormat>("csv");
  const [askPath, setAskPath] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<CodeGenerateProgress | null>(null);
  const [result, setResult] = useState<CodeGenerateSummary | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const [allocations, setAllocations] = useState<Allocation[]>([]);
  const [events, setEvents] = useState<CodeEvent[]>([]);
  const [editing, setEditing] = useState(false);
  const [importReport, setImportReport] = useState<ImportCodesReport | null>(null);

  const product = useMemo(() => products?.find((p) => p.productId === productId) ?? null, [products, productId]);
  const needsBatch = product !== null && product.granularity !== "product";
  const message = useCallback((e: unknown) => localMessage(toApiError(e), language, t.errors.noDetail), [language, t]);

  const loadProducts = useCallback(async () => {
    try {
      const list = await backend.codingProducts();
      setProducts(list);
      setProductId((current) => current ?? list[0]?.productId ?? null);
    } catch (e) {
      showError(e);
      setProducts([]);
    }
  }, [backend, showError]);

  useEffect(() => {
    void loadProducts();
  }, [loadProducts]);

  const loadHistory = useCallback(async () => {
    if (productId === null) return;
    try {
      const [a, e] = await Promise.all([backend.codeAllocations(productId, null), backend.codeEvents(productId)]);
      setAllocations(a);
      setEvents(e);
    } catch (e) {
      showError(e);
    }
  }, [backend, productId, showError]);

  useEffect(() => {
    if (productId === null) return;
    let stale = false;
    setBatches([]);
    setBatchId(null);
    setResult(null);
    backend
      .codingBatches(productId)
      .then((list) => {
        if (stale) return;
        setBatches(list);
        setBatchId(list[0]?.id ?? null);
      })
      .catch(showError);
    void loadHistory();
    return () => {
      stale = true;
    };
  }, [backend, productId, showError, loadHistory]);

  // The preview follows the product, the batch and the settings, and a generation (the next
  // serials move on: `allocations`).
  const loadPreview = useMemo(
    () => (!product || (needsBatch && batchId === null) ? null : () => backend.previewCodes(product.productId, needsBatch ? batchId : null, 5)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [backend, product, batchId, needsBatch, allocations],
  );
  const [preview, previewError] = useAnswer(loadPreview, message);

  const firstCode = preview?.codes[0]?.code ?? null;
  const loadLabel = useMemo(() => (firstCode ? () => backend.labelPreview({ code: firstCode, symbology }) : null), [backend, firstCode, symbology]);
  const [label, labelError] = useAnswer(loadLabel, message);

  const generate = async () => {
    if (!product || !count) return;
    // `target`: a token from the native save dialog; `null` writes into the data folder's exports/.
    let target: string | null = null;
    if (askPath) {
      const chosen = await backend.chooseCodeFile({
        title: t.coding.saveTitle,
        defaultPath: `${t.coding.fileStem}-${product.name}.${format}`,
        filterName: format === "xlsx" ? "Excel" : "CSV",
        extensions: [format],
      });
      if (!chosen) return;
      target = chosen.token;
    }
    const id = `gen-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    setJobId(id);
    setResult(null);
    setPrinted(null);
    setProgress({ phase: "reserving", done: 0, total: count });
    try {
      const summary = await backend.generateCodes(
        { productId: product.productId, batchId: needsBatch ? batchId : null, count, path: "", format, jobId: id },
        target,
        setProgress,
      );
      setResult(summary);
      await Promise.all([loadProducts(), loadHistory()]);
    } catch (e) {
      showError(e);
    } finally {
      setJobId(null);
      setProgress(null);
    }
  };

  const print = async (source: { allocationId: number | null; codes: string[] }) => {
    try {
      const sheet = await backend.labelSheet({ ...source, inputPath: null, symbology, path: "", fontPath: null, ...SHEET });
      setPrinted(t.coding.printed(sheet.labels, sheet.pages, sheet.path));
      await backend.openFile(sheet.path).catch(showError);
    } catch (e) {
      showError(e);
    }
  };

  const printResult = () => {
    if (!result) return;
    const { allocationId, codes } = resultSource(result);
    return print({ allocationId, codes });
  };

  const importCodes = async () => {
    if (!product) return;
    const picked = await backend.chooseIssuedCodeList({ title: t.coding.importTitle, filterName: t.coding.importFilter, extensions: ["txt", "csv"] });
    if (!picked) return;
    try {
      setImportReport(
        await backend.importIssuedCodes({ productId: product.productId, batchId: needsBatch ? batchId : null, path: "" }, picked.token),
      );
      await Promise.all([loadProducts(), loadHistory()]);
    } catch (e) {
      showError(e);
    }
  };

  if (products !== null && products.length === 0) {
    return (
      <div data-testid="screen-coding" className="screen">
        <PageHeader title={t.nav.coding} />
        <Card>
          <Empty description={t.coding.noProducts} data-testid="coding-empty">
            {onNavigate && (
              <Button type="primary" onClick={() => onNavigate("products")}>
                {t.coding.goProducts}
              </Button>
            )}
          </Empty>
        </Card>
      </div>
    );
  }

  const percent = progress && progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0;
  const imported = product !== null && product.scheme !== "gs1";

  return (
    <div data-testid="screen-coding" className="screen">
      <PageHeader title={t.nav.coding} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t.coding.generateTitle}>
            <Space wrap className="coding-pickers">
              <Select
                data-testid="coding-product"
                style={{ minWidth: 260 }}
                placeholder={t.coding.pickProduct}
                value={productId ?? undefined}
                onChange={(id: number) => setProductId(id)}
                options={(products ?? []).map((p) => ({
                  value: p.productId,
                  label: `${p.name}${p.model ? ` ${p.model}` : ""}`,
                }))}
              />
              {needsBatch && (
                <Select
                  data-testid="coding-batch"
                  style={{ minWidth: 200 }}
                  placeholder={t.coding.pickBatch}
                  value={batchId ?? undefined}
                  onChange={(id: number) => setBatchId(id)}
                  notFoundContent={t.coding.noBatches}
                  options={batches.map((b) => ({ value: b.id, label: `${b.lotNo}（${b.producedOn}）` }))}
                />
              )}
              {product && (
                <Button data-testid="coding-settings-open" onClick={() => setEditing(true)}>
                  {t.coding.settings}
                </Button>
              )}
            </Space>
            {product && (
              <div className="coding-plan" data-testid="coding-plan">
                <Tag color="blue">{t.scheme[product.scheme].title}</Tag>
                <Tag color="geekblue">{t.granularity[product.granularity].title}</Tag>
                {product.scheme === "gs1" && <Tag>{t.coding.forms[product.codeForm]}</Tag>}
                {product.scheme === "gs1" && product.granularity === "item" && (
                  <Tag>
                    {product.serialMode === "random"
                      ? t.coding.randomSerials(product.randomLength)
                      : t.coding.sequentialSerials(product.serialPattern)}
                  </Tag>
                )}
                <Typography.Text type="secondary">{t.coding.issued(product.issued)}</Typography.Text>
              </div>
            )}
            {needsBatch && batches.length === 0 && products !== null && (
              <Alert type="info" showIcon title={t.coding.noBatches} className="coding-note" />
            )}
            {previewError && <Alert type="warning" showIcon title={previewError} className="coding-note" data-testid="coding-preview-error" />}
            {preview && (
              <div data-testid="coding-preview" className="coding-preview">
                <Typography.Text strong>{t.coding.previewTitle}</Typography.Text>
                <List
                  size="small"
                  dataSource={preview.codes}
                  renderItem={(c) => (
                    <List.Item data-testid="coding-preview-code">
                      <Typography.Text code copyable>
                        {showScan(c.code)}
                      </Typography.Text>
                    </List.Item>
                  )}
                />
                <Typography.Text type="secondary">{language === "en" ? preview.noteEn : preview.noteZh}</Typography.Text>
              </div>
            )}
            {imported && (
              <Space className="coding-note" wrap>
                <Button data-testid="coding-import" onClick={() => void importCodes()}>
                  {t.coding.importCodes}
                </Button>
                <Typography.Text type="secondary">{t.coding.importedSchemeNote}</Typography.Text>
              </Space>
            )}
            {importReport && (
              <Alert
                className="coding-note"
                type={importReport.problems.length === 0 ? "success" : "error"}
                showIcon
                title={
                  importReport.problems.length === 0
                    ? t.coding.importDone(Number(importReport.imported))
                    : t.coding.importFailed(importReport.problems.length)
                }
                description={importReport.problems.slice(0, 20).map((p) => (
                  <div key={`${p.line}-${p.code}`}>{t.coding.importProblem(p.line, language === "en" ? p.messageEn : p.messageZh)}</div>
                ))}
              />
            )}
            <div className="coding-generate">
              <Space wrap align="center">
                <span>{t.coding.count}</span>
                <InputNumber
                  data-testid="coding-count"
                  min={1}
                  max={10_000_000}
                  value={count}
                  onChange={(v) => setCount(typeof v === "number" ? v : null)}
                />
                <Radio.Group
                  value={format}
                  onChange={(e) => setFormat(e.target.value)}
                  optionType="button"
                  options={[
                    { value: "csv", label: "CSV" },
                    { value: "xlsx", label: "Excel (xlsx)" },
                  ]}
                />
                <Checkbox checked={askPath} onChange={(e) => setAskPath(e.target.checked)}>
                  {t.coding.askPath}
                </Checkbox>
                <Button
                  type="primary"
                  data-testid="coding-generate"
                  disabled={!product || (needsBatch && batchId === null) || jobId !== null || !preview || !count}
                  onClick={() => void generate()}
                >
                  {t.coding.generate}
                </Button>
              </Space>
              {progress && jobId && (
                <div data-testid="coding-progress" className="coding-progress">
                  <Progress percent={percent} status="active" />
                  <Space>
                    <Typography.Text type="secondary">
                      {t.coding.phases[progress.phase]} {formatNumber(progress.done)} / {formatNumber(progress.total)}
                    </Typography.Text>
                    <Button size="small" data-testid="coding-cancel" onClick={() => void backend.cancelGeneration(jobId)}>
                      {t.common.cancel}
                    </Button>
                  </Space>
                </div>
              )}
              {result && (
                <Alert
                  className="coding-note"
                  data-testid="coding-result"
                  type={result.cancelled ? "warning" : "success"}
                  showIcon
                  title={result.cancelled ? t.coding.cancelled : t.coding.generated(Number(result.count), result.path)}
                  description={
                    result.cancelled ? (
                      t.coding.cancelledNote
                    ) : (
                      <Space direction="vertical">
                        {result.firstCode && <Typography.Text code>{showScan(result.firstCode)}</Typography.Text>}
                        {result.lastCode && result.lastCode !== result.firstCode && (
                          <Typography.Text code>{showScan(result.lastCode)}</Typography.Text>
                        )}
                        <Space>
                          <Button data-testid="coding-print" onClick={() => void printResult()}>
                            {t.coding.print}
                          </Button>
                          <Button data-testid="coding-label-printer" onClick={() => setPrintSource(resultSource(result))}>
                            {t.print.open}
                          </Button>
                        </Space>
                      </Space>
                    )
                  }
                />
              )}
              {printed && <Alert className="coding-note" type="info" showIcon title={printed} data-testid="coding-printed" />}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t.coding.labelTitle}>
            <Radio.Group
              data-testid="label-symbology"
              value={symbology}
              onChange={(e) => setSymbology(e.target.value)}
              optionType="button"
              size="small"
              options={SYMBOLOGIES.map((s) => ({ value: s, label: t.coding.symbologies[s] }))}
            />
            {labelError && <Alert type="warning" showIcon title={labelError} className="coding-note" />}
            {label && (
              <div data-testid="label-preview" className="label-preview">
                {label.title && <div className="label-title">{label.title}</div>}
                {label.subtitle && <div className="label-subtitle">{label.subtitle}</div>}
                <img
                  data-testid="label-preview-image"
                  alt={label.hri}
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(label.svg)}`}
                />
                <Typography.Paragraph type="secondary" className="label-scanned" data-testid="label-scanned-as">
                  {t.coding.scannedAs} <Typography.Text code>{label.scannedAs}</Typography.Text>
                </Typography.Paragraph>
              </div>
            )}
            {!label && !labelError && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t.coding.labelEmpty} />}
          </Card>
          <Card title={t.coding.checkTitle} className="coding-check-card">
            <CodeCheckBox onEvent={() => void loadHistory()} />
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t.coding.historyTitle}>
            <Table<Allocation>
              size="small"
              rowKey="id"
              data-testid="coding-allocations"
              dataSource={allocations}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: t.coding.noAllocations }}
              columns={[
                { title: t.coding.colCreated, dataIndex: "createdAt", render: (v: string) => v.replace("T", " ").slice(0, 19) },
                { title: t.coding.colLot, dataIndex: "lotNo" },
                { title: t.coding.colCount, dataIndex: "count", render: (v: number) => formatNumber(v) },
                {
                  title: t.coding.colSerials,
                  render: (_, a) => (a.firstSerial ? `${a.firstSerial} – ${a.lastSerial}` : t.coding.serialModes[a.serialMode]),
                },
                {
                  title: t.coding.colState,
                  dataIndex: "state",
                  render: (s: string) => <Tag color={STATE_COLORS[s]}>{t.coding.states[s] ?? s}</Tag>,
                },
                { title: t.coding.colActor, dataIndex: "actor" },
                {
                  title: "",
                  render: (_, a) => (
                    <Space>
                      <Button
                        size="small"
                        onClick={() =>
                          backend
                            .exportAllocation(a.id, null)
                            .then((s) => setResult(s))
                            .catch(showError)
                        }
                      >
                        {t.coding.exportAgain}
                      </Button>
                      <Button size="small" onClick={() => void print({ allocationId: a.id, codes: [] })}>
                        {t.coding.print}
                      </Button>
                      <Button size="small" onClick={() => setPrintSource({ allocationId: a.id, codes: [], count: a.count })}>
                        {t.print.open}
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
            {events.length > 0 && (
              <List
                size="small"
                className="coding-events"
                header={<Typography.Text strong>{t.coding.eventsTitle}</Typography.Text>}
                dataSource={events}
                renderItem={(e) => (
                  <List.Item data-testid="coding-event">
                    <Space wrap>
                      <Tag color={e.kind === "void" ? "red" : "blue"}>{e.kind === "void" ? t.coding.void : t.coding.reprint}</Tag>
                      <Typography.Text code>{showScan(e.code)}</Typography.Text>
                      <span>{e.reason}</span>
                      <Typography.Text type="secondary">
                        {e.actor} · {e.at.replace("T", " ").slice(0, 19)}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      <PrintDialog source={printSource} symbology={symbology} onClose={() => setPrintSource(null)} />
      {editing && product && (
        <CodingSettings
          product={product}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setProducts((list) => (list ?? []).map((p) => (p.productId === saved.productId ? saved : p)));
          }}
        />
      )}
    </div>
  );
}

/** What a generation result prints: its ledger range, or its one code (per product or batch) as many times as generated. */
function resultSource(result: CodeGenerateSummary): PrintSource {
  if (result.allocationId !== null) return { allocationId: result.allocationId, codes: [], count: result.count };
  const count = Math.min(result.count, 10_000);
  return { allocationId: null, codes: Array.from({ length: count }, () => result.firstCode ?? ""), count };
}

/** The answer of `load`, asked again whenever `load` changes (an answer to an earlier one is
 * dropped); `null` without `load` or after a failure, whose `message` is the error until the next
 * answer. */
function useAnswer<T>(load: (() => Promise<T>) | null, message: (e: unknown) => string) {
  const [answer, setAnswer] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!load) {
      setAnswer(null);
      return;
    }
    let stale = false;
    load()
      .then((a) => {
        if (stale) return;
        setAnswer(a);
        setError(null);
      })
      .catch((e) => {
        if (stale) return;
        setAnswer(null);
        setError(message(e));
      });
    return () => {
      stale = true;
    };
  }, [load, message]);
  return [answer, error] as const;
}

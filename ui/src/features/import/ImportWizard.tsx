// 导入: the import wizard. (1) a file, dropped on the window or chosen in the OS dialog (Rust opens
// it and hands back a one-time token; the UI never names a path); (2) the sheet and what it records; (3) the header row, found automatically and confirmed;
// (4) the column mapping; (5) the problem grid, fixed inline; (6) the commit, all-or-nothing or only
// the valid rows; (7) the summary, with undo. Every long step shows its progress and can be
// cancelled. Template downloads and the recent imports (undoable) sit under step 1.

import { FileExcelOutlined, InboxOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Popconfirm,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Switch,
  Table,
  Tag,
  Typography,
} from "antd";
import type { ButtonProps } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { isApiError, useBackend } from "../../api";
import type { PickedFile } from "../../api/backend";
import {
  IMPORT_KINDS,
  type ImportColumn,
  type ImportColumnChoice,
  type ImportCommitResult,
  type ImportFileInfo,
  type ImportKind,
  type ImportMode,
  type ImportPreview,
  type ImportProgress,
  type ImportReport,
  type ImportRun,
} from "../../api/importApi";
import { PageHeader } from "../../components/PageHeader";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import { formatBytes, formatDateTime } from "../../lib/format";
import { problemText, ProblemGrid } from "./ProblemGrid";
import { ProgressPanel } from "./ProgressPanel";
import { RunHistory } from "./RunHistory";
import "./import.css";

const STEP_KEYS = ["file", "sheet", "header", "mapping", "problems", "commit", "done"] as const;

/** True for the error a cancelled step rejects with. */
export function isCancelled(reason: unknown): boolean {
  return isApiError(reason) && reason.field === "import.cancelled";
}

export function ImportWizard() {
  const t = useT();
  const w = t.importWizard;
  const language = useLanguage();
  const backend = useBackend();
  const { message } = App.useApp();
  const notifyError = useErrorNotice();

  const [step, setStep] = useState(0);
  const [file, setFile] = useState<ImportFileInfo | null>(null);
  const [sheet, setSheet] = useState("");
  const [kind, setKind] = useState<ImportKind>("receipt");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [headerRow, setHeaderRow] = useState<number | null>(null);
  const [choices, setChoices] = useState<ImportColumnChoice[]>([]);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [mode, setMode] = useState<ImportMode>("all");
  const [result, setResult] = useState<ImportCommitResult | null>(null);
  const [runs, setRuns] = useState<ImportRun[]>([]);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [cancellable, setCancellable] = useState(false);
  // Each long step gets a number; cancelling moves it on, so a late answer is ignored.
  const generation = useRef(0);

  const refreshRuns = useCallback(async () => {
    try {
      setRuns(await backend.importRuns(20));
    } catch (reason) {
      notifyError(reason);
    }
  }, [backend, notifyError]);

  useEffect(() => {
    void refreshRuns();
  }, [refreshRuns]);

  /** Runs a step with the progress panel; resolves to `undefined` when it failed or was cancelled. */
  const long = async <T,>(task: (onProgress: (p: ImportProgress) => void) => Promise<T>, canCancel = true): Promise<T | undefined> => {
    const mine = ++generation.current;
    setBusy(true);
    setCancellable(canCancel);
    setProgress(null);
    try {
      const value = await task((p) => {
        if (generation.current === mine) setProgress(p);
      });
      return generation.current === mine ? value : undefined;
    } catch (reason) {
      if (generation.current !== mine) return undefined;
      if (isCancelled(reason)) void message.info(w.cancelled);
      else notifyError(reason);
      return undefined;
    } finally {
      if (generation.current === mine) {
        setBusy(false);
        setProgress(null);
      }
    }
  };

  const cancel = () => {
    generation.current += 1;
    setBusy(false);
    setProgress(null);
    void message.info(w.cancelled);
    if (file) void backend.importCancel(file.sessionId).catch(() => undefined);
  };

  const reset = () => {
    if (file) void backend.importClose(file.sessionId).catch(() => undefined);
    setFile(null);
    setPreview(null);
    setHeaderRow(null);
    setChoices([]);
    setReport(null);
    setResult(null);
    setMode("all");
    setStep(0);
  };

  // `picked`: a file chosen in the native dialog or dropped on the window, as a one-time token.
  const openPicked = async (picked: PickedFile) => {
    const opened = await long(async () => backend.importOpen(picked.token), false);
    if (!opened) return;
    if (file) void backend.importClose(file.sessionId).catch(() => undefined);
    setFile(opened);
    const first = opened.sheets.find((s) => s.visible) ?? opened.sheets[0];
    setSheet(first?.name ?? "");
    if (first?.guessedKind) setKind(first.guessedKind);
    setPreview(null);
    setReport(null);
    setResult(null);
    setStep(1);
  };

  // Files dropped on the window (Tauri's drag-and-drop event) open while the first step shows.
  const openRef = useRef(openPicked);
  openRef.current = openPicked;
  useEffect(() => {
    if (step !== 0) return;
    let unsubscribe: (() => void) | null = null;
    let live = true;
    void backend
      .onFileDrop((files) => {
        if (files[0]) void openRef.current(files[0]);
      })
      .then((off) => {
        if (live) unsubscribe = off;
        else off();
      })
      .catch(() => undefined);
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [backend, step]);

  const chooseFile = async () => {
    try {
      const picked = await backend.chooseImportFile(w.dialogTitle, w.fileFilter);
      if (picked) await openPicked(picked);
    } catch (reason) {
      notifyError(reason);
    }
  };

  const saveTemplate = async (k: ImportKind) => {
    try {
      const dest = await backend.chooseImportSavePath(w.templateSaveTitle, w.templateName(w.kinds[k]), w.fileFilter);
      if (!dest) return;
      const written = await backend.importTemplate(k, dest.token);
      void message.success(w.templateSaved(written.path));
    } catch (reason) {
      notifyError(reason);
    }
  };

  const loadPreview = async () => {
    if (!file) return;
    const shown = await long(async () => backend.importPreview({ sessionId: file.sessionId, sheet, kind }), false);
    if (!shown) return;
    setPreview(shown);
    setHeaderRow(shown.detectedHeaderRow);
    setStep(2);
  };

  const read = async (mapping: ImportColumnChoice[], createMissing = report?.createMissing ?? false) => {
    if (!file) return undefined;
    const explicit = headerRow !== null && headerRow !== preview?.detectedHeaderRow ? headerRow : null;
    const read = await long((onProgress) =>
      backend.importRead({ sessionId: file.sessionId, sheet, kind, headerRow: explicit, mapping, createMissing }, onProgress),
    );
    if (read) {
      setReport(read);
      setChoices([]);
    }
    return read;
  };

  const readHeader = async () => {
    const done = await read([]);
    if (done) setStep(3);
  };

  const confirmMapping = async () => {
    if (choices.length > 0) {
      const done = await read(choices);
      if (!done) return;
    }
    setStep(4);
  };

  const setCreateMissing = async (on: boolean) => {
    if (!report) return;
    const checked = await long((onProgress) => backend.importRecheck(report.sessionId, on, onProgress));
    if (checked) setReport(checked);
  };

  const exportProblems = async () => {
    if (!report) return;
    try {
      const dest = await backend.chooseImportSavePath(w.exportTitle, w.exportName(report.fileName.replace(/\.[^.]+$/, "")), w.fileFilter);
      if (!dest) return;
      const written = await long((onProgress) => backend.importExportProblems(report.sessionId, dest.token, onProgress), false);
      if (written) void message.success(w.exported(written));
    } catch (reason) {
      notifyError(reason);
    }
  };

  const commit = async () => {
    if (!report) return;
    const done = await long((onProgress) =>
      backend.importCommit({ sessionId: report.sessionId, mode, createMissing: report.createMissing }, onProgress),
    );
    if (!done) return;
    setResult(done);
    setStep(6);
    void refreshRuns();
  };

  const undo = async (run: ImportRun) => {
    const undone = await long((onProgress) => backend.importUndo(run.id, onProgress), false);
    if (!undone) return;
    void message.success(w.undone(undone.deleted.reduce((n, c) => n + c.count, 0)));
    if (result?.run?.id === run.id) setResult({ ...result, run: undone.run });
    void refreshRuns();
  };

  const goToCommit = () => {
    if (!report) return;
    setMode(report.canCommitAll ? "all" : "valid-only");
    setStep(5);
  };

  // ------------------------------------------------------------------------------------------
  // Steps.

  const fileStep = (
    <>
      <Card size="small" className="import-card">
        <div className="import-drop" data-testid="import-drop-zone">
          <InboxOutlined className="import-drop-icon" />
          <Typography.Title level={5}>{w.dropTitle}</Typography.Title>
          <Typography.Text type="secondary">{w.dropHint}</Typography.Text>
          <Button type="primary" icon={<FileExcelOutlined />} data-testid="import-choose-file" onClick={() => void chooseFile()} disabled={busy}>
            {w.chooseFile}
          </Button>
        </div>
      </Card>
      <Card size="small" className="import-card" title={w.templatesTitle}>
        <Typography.Paragraph type="secondary">{w.templatesHint}</Typography.Paragraph>
        <Space wrap>
          {IMPORT_KINDS.map((k) => (
            <Button key={k} data-testid={`import-template-${k}`} onClick={() => void saveTemplate(k)}>
              {w.kinds[k]}
            </Button>
          ))}
        </Space>
      </Card>
      <Card size="small" className="import-card" title={w.historyTitle}>
        <RunHistory runs={runs} busy={busy} onUndo={(run) => void undo(run)} />
      </Card>
    </>
  );

  const sheetStep = file && (
    <Card size="small" className="import-card">
      <Typography.Paragraph data-testid="import-file-info">
        <strong>{w.fileLine(file.fileName, file.format, formatBytes(file.bytes))}</strong>
        {file.encoding && <span className="import-muted"> · {w.encoding(file.encoding)}</span>}
      </Typography.Paragraph>
      {file.previousRuns.length > 0 && (
        <Alert
          type="info"
          showIcon
          className="import-alert"
          data-testid="import-previous-runs"
          title={w.previousRuns(formatDateTime(file.previousRuns[0].createdAt))}
        />
      )}
      <Typography.Text strong>{w.sheetLabel}</Typography.Text>
      <Radio.Group className="import-radios" value={sheet} onChange={(e) => setSheet(e.target.value as string)}>
        {file.sheets.map((s, i) => (
          <Radio key={s.name} value={s.name}>
            <span data-testid={`import-sheet-${i}`}>{s.name}</span>
            {!s.visible && <Tag className="import-hidden-tag">{w.hiddenSheet}</Tag>}
          </Radio>
        ))}
      </Radio.Group>
      <Typography.Text strong>{w.kindLabel}</Typography.Text>
      <Radio.Group className="import-radios" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} optionType="button">
        {IMPORT_KINDS.map((k) => (
          <Radio.Button key={k} value={k}>
            <span data-testid={`import-kind-${k}`}>{w.kinds[k]}</span>
          </Radio.Button>
        ))}
      </Radio.Group>
    </Card>
  );

  const headerStep = preview && (
    <Card size="small" className="import-card">
      <Typography.Paragraph>{w.headerIntro}</Typography.Paragraph>
      <Space className="import-header-state">
        <Tag color={preview.detectedHeaderRow ? "blue" : "orange"} data-testid="import-header-detected">
          {preview.detectedHeaderRow ? w.headerDetected(preview.detectedHeaderRow) : w.headerNotDetected}
        </Tag>
        {headerRow !== null && (
          <Tag color="green" data-testid="import-header-chosen">
            {w.headerChosen(headerRow)}
          </Tag>
        )}
      </Space>
      <Table
        size="small"
        bordered
        pagination={false}
        rowKey="row"
        scroll={{ x: 80 + preview.columns * 120, y: 380 }}
        dataSource={preview.rows}
        rowClassName={(r) =>
          [r.row === headerRow ? "import-header-chosen-row" : "", r.row === preview.detectedHeaderRow ? "import-header-detected-row" : ""].join(" ")
        }
        onRow={(r) =>
          ({
            "data-testid": `import-header-row-${r.row}`,
            onClick: () => setHeaderRow(r.row),
            style: { cursor: "pointer" },
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: w.rowNumber, dataIndex: "row", width: 64, fixed: "left" },
          ...Array.from({ length: preview.columns }, (_, i) => ({
            title: String.fromCharCode(65 + (i % 26)).padStart(i >= 26 ? 2 : 1, "A"),
            key: String(i),
            width: 120,
            ellipsis: true,
            render: (_: unknown, r: ImportPreview["rows"][number]) => r.cells[i],
          })),
        ]}
      />
    </Card>
  );

  const mappingStep = report && (
    <Card size="small" className="import-card">
      <Typography.Paragraph>{w.mappingIntro}</Typography.Paragraph>
      {report.remembered && <Alert type="success" showIcon className="import-alert" title={w.mappingRemembered} data-testid="import-mapping-remembered" />}
      <MappingTable report={report} choices={choices} onChoices={setChoices} />
      {(() => {
        const fieldOf = (c: ImportColumn) => choices.find((x) => x.column === c.column)?.field ?? (choices.some((x) => x.column === c.column) ? null : c.field);
        const chosen = new Set(report.columns.map(fieldOf).filter(Boolean));
        const missing = report.fields.filter((f) => f.required && !chosen.has(f.key));
        return missing.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            className="import-alert"
            data-testid="import-mapping-missing"
            title={w.missingRequired(missing.map((f) => (language === "en" ? f.en : f.zh)).join(language === "en" ? ", " : "、"))}
          />
        ) : null;
      })()}
      {choices.length > 0 && (
        <Button data-testid="import-mapping-apply" onClick={() => void read(choices)} disabled={busy}>
          {w.applyMapping}
        </Button>
      )}
    </Card>
  );

  const problemsStep = report && (
    <>
      <Card size="small" className="import-card">
        <Row gutter={16} data-testid="import-summary">
          <Col span={4}>
            <Statistic title={w.countTotal} value={report.rowsTotal} data-testid="import-count-total" />
          </Col>
          <Col span={4}>
            <Statistic title={w.countNew} value={report.rowsNew} styles={{ content: { color: "#389e0d" } }} data-testid="import-count-new" />
          </Col>
          <Col span={4}>
            <Statistic title={w.countExisting} value={report.rowsExisting} data-testid="import-count-existing" />
          </Col>
          <Col span={4}>
            <Statistic title={w.countInvalid} value={report.rowsInvalid} styles={{ content: { color: report.rowsInvalid ? "#cf1322" : undefined } }} data-testid="import-count-invalid" />
          </Col>
          <Col span={4}>
            <Statistic title={w.countWarning} value={report.rowsWarning} data-testid="import-count-warning" />
          </Col>
          <Col span={4}>
            <Statistic title={w.countEdited} value={report.rowsEdited} data-testid="import-count-edited" />
          </Col>
        </Row>
        {report.sheetProblems.map((p, i) => (
          <Alert
            key={i}
            type={p.severity === "error" ? "error" : "warning"}
            showIcon
            className="import-alert"
            data-testid="import-sheet-problem"
            data-code={p.code}
            title={problemText(p, language)}
          />
        ))}
        {report.unknown.length > 0 && (
          <div className="import-unknown" data-testid="import-unknown">
            <Typography.Text>{w.unknownTitle}</Typography.Text>
            <ul>
              {report.unknown.map((u) => (
                <li key={`${u.kind}:${u.name}`} data-testid={`import-unknown-${u.kind}`}>
                  {w.unknownItem(w.unknownKind[u.kind], u.name, u.rows)}
                  {!u.creatable && <Tag className="import-hidden-tag">{w.notCreatable}</Tag>}
                </li>
              ))}
            </ul>
            <Space>
              <Switch
                data-testid="import-create-missing"
                checked={report.createMissing}
                disabled={busy}
                onChange={(on) => void setCreateMissing(on)}
              />
              <Typography.Text>{w.createMissing}</Typography.Text>
            </Space>
          </div>
        )}
        <Space className="import-actions">
          <Button data-testid="import-export-problems" onClick={() => void exportProblems()} disabled={busy || report.rowsInvalid + report.rowsWarning === 0}>
            {w.exportProblems}
          </Button>
        </Space>
      </Card>
      <Card size="small" className="import-card">
        <ProblemGrid key={`${report.sessionId}:${report.kind}:${report.headerRow}:${report.signature}:${report.createMissing}`} report={report} onReport={setReport} />
      </Card>
    </>
  );

  const commitStep = report && (
    <Card size="small" className="import-card">
      <Typography.Title level={5}>{w.modeTitle}</Typography.Title>
      <Radio.Group className="import-radios vertical" value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
        <Radio value="all" disabled={!report.canCommitAll}>
          <span data-testid="import-mode-all">{w.modeAll}</span>
        </Radio>
        <Radio value="valid-only" disabled={!report.canCommitValid}>
          <span data-testid="import-mode-valid">{w.modeValid(report.rowsNew)}</span>
        </Radio>
      </Radio.Group>
      <Typography.Paragraph data-testid="import-commit-summary">{w.commitSummary(report.rowsNew, report.rowsExisting)}</Typography.Paragraph>
      {!report.canCommitAll && mode === "all" && <Alert type="warning" showIcon className="import-alert" title={w.commitBlocked} />}
      <Button
        type="primary"
        size="large"
        data-testid="import-commit"
        disabled={busy || (mode === "all" ? !report.canCommitAll : !report.canCommitValid)}
        onClick={() => void commit()}
      >
        {w.commitButton}
      </Button>
    </Card>
  );

  const doneStep = result && (
    <Card size="small" className="import-card">
      <Result
        status={result.run ? "success" : "info"}
        data-testid="import-done"
        title={<span data-testid="import-done-title">{result.run ? w.doneTitle(result.rowsImported) : w.doneNothing}</span>}
        subTitle={w.doneDetail(result.rowsExisting, result.rowsSkipped)}
        extra={
          <Space>
            {result.run && result.run.status === "committed" && result.run.canUndo && (
              <Popconfirm
                title={w.undoConfirmTitle}
                description={<div className="import-confirm-body">{w.undoConfirmBody}</div>}
                okText={w.undoOk}
                cancelText={w.cancel}
                okButtonProps={{ danger: true, "data-testid": "import-undo-ok" } as ButtonProps}
                onConfirm={() => result.run && void undo(result.run)}
              >
                <Button danger data-testid="import-undo" disabled={busy}>
                  {w.undoThis}
                </Button>
              </Popconfirm>
            )}
            {result.run?.status === "undone" && <Tag data-testid="import-undone-tag">{w.statusUndone}</Tag>}
            <Button type="primary" data-testid="import-another" onClick={reset}>
              {w.importAnother}
            </Button>
          </Space>
        }
      >
        {result.run && (
          <div className="import-created" data-testid="import-created">
            <Typography.Text strong>{w.runLabel(result.run.id)}</Typography.Text>
            <div>
              {w.createdLabel}：
              {result.run.created.map((c) => (
                <Tag key={c.table}>{w.tableCount(w.tables[c.table as keyof typeof w.tables] ?? c.table, c.count)}</Tag>
              ))}
            </div>
          </div>
        )}
      </Result>
    </Card>
  );

  const body = [fileStep, sheetStep, headerStep, mappingStep, problemsStep, commitStep, doneStep][step];

  const next = () => {
    switch (step) {
      case 1:
        return void loadPreview();
      case 2:
        return void readHeader();
      case 3:
        return void confirmMapping();
      case 4:
        return goToCommit();
    }
  };
  const nextDisabled =
    busy ||
    (step === 1 && !sheet) ||
    (step === 2 && headerRow === null) ||
    (step === 4 && !report?.canCommitValid && !report?.canCommitAll);

  return (
    <div data-testid="screen-import" className="screen import-screen">
      <PageHeader title={w.title} />
      <Typography.Paragraph type="secondary" className="import-intro">
        {w.intro}
      </Typography.Paragraph>
      <Steps
        size="small"
        current={step}
        className="import-steps"
        data-testid="import-steps"
        items={STEP_KEYS.map((k) => ({ title: w.steps[k] }))}
      />
      {busy && <ProgressPanel progress={progress} onCancel={cancellable ? cancel : undefined} />}
      <div className="import-body" data-testid={`import-step-${STEP_KEYS[step]}`}>
        {body}
      </div>
      {step >= 1 && step <= 5 && (
        <Space className="import-nav">
          <Button data-testid="import-back" disabled={busy} onClick={() => setStep(step === 1 ? 0 : step - 1)}>
            {w.back}
          </Button>
          {step <= 4 && (
            <Button type="primary" data-testid="import-next" disabled={nextDisabled} onClick={next}>
              {w.next}
            </Button>
          )}
        </Space>
      )}
    </div>
  );
}

/** Step 4: which field each column goes into, with how it was matched. */
function MappingTable({
  report,
  choices,
  onChoices,
}: {
  report: ImportReport;
  choices: ImportColumnChoice[];
  onChoices: (choices: ImportColumnChoice[]) => void;
}) {
  const t = useT();
  const w = t.importWizard;
  const language = useLanguage();
  const current = (c: ImportColumn) => {
    const chosen = choices.find((x) => x.column === c.column);
    return chosen ? chosen.field : c.field;
  };
  const options = [
    { value: "", label: w.notImported },
    ...report.fields.map((f) => ({
      value: f.key,
      label: `${language === "en" ? f.en : f.zh}${f.required ? ` (${w.requiredMark})` : ""}`,
    })),
  ];
  return (
    <Table<ImportColumn>
      size="small"
      rowKey="column"
      pagination={false}
      data-testid="import-mapping-table"
      dataSource={report.columns}
      columns={[
        { title: w.columnLetter, dataIndex: "column", width: 64 },
        { title: w.columnHeader, dataIndex: "header", render: (h: string) => h || "—" },
        {
          title: w.columnField,
          key: "field",
          width: 280,
          render: (_, c) =>
            c.rowCounter && !choices.some((x) => x.column === c.column) ? (
              <Tag data-testid={`import-mapping-counter-${c.column}`}>{w.rowCounter}</Tag>
            ) : (
              <Select
                style={{ width: 260 }}
                data-testid={`import-mapping-${c.column}`}
                value={current(c) ?? ""}
                options={options}
                onChange={(value: string) => {
                  const field = value === "" ? null : value;
                  // One column per field: choosing a field takes it off any other column.
                  const others = choices.filter((x) => x.column !== c.column && x.field !== field);
                  onChoices([...others, { column: c.column, field }]);
                }}
              />
            ),
        },
        {
          title: w.columnConfidence,
          key: "confidence",
          width: 140,
          render: (_, c) => {
            const edited = choices.some((x) => x.column === c.column);
            const conf = edited ? "manual" : c.confidence;
            const color = conf === "exact" ? "green" : conf === "normalised" ? "cyan" : conf === "fuzzy" ? "orange" : conf === "manual" ? "blue" : "default";
            return (
              <Tag color={color} data-testid={`import-confidence-${c.column}`}>
                {w.confidence[conf]}
              </Tag>
            );
          },
        },
      ]}
    />
  );
}

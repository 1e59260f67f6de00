// 赋码 → 标签打印机: prints the codes of a ledger range (or the codes given) on a thermal label
// printer. The clerk picks a printer profile (language, DPI, label size, gap, offset), edits and
// saves it, prints a test label, then prints to an OS printer (sent raw: ZPL or TSPL) or saves the
// job (ZPL, TSPL, or a PDF with one page per label at the label's exact size). Label data for
// BarTender / NiceLabel is one more button. Rust checks the profile and renders every job.

import { Alert, Button, Col, Form, InputNumber, Input, Modal, Radio, Row, Select, Space, Typography, type InputNumberProps } from "antd";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { toApiError, useBackend } from "../../api";
import type { LabelSymbology } from "../../api/bindings/LabelSymbology";
import type { LabelDataExportResult, PrintFormat, PrintLabelsResult, PrinterProfileDto } from "../../api/printingApi";
import { ErrorAlert, useStep } from "../../components/ErrorAlert";
import { useT } from "../../i18n";

export interface PrintSource {
  allocationId: number | null;
  codes: string[];
  /** How many labels, to show. */
  count: number;
}

interface Props {
  source: PrintSource | null;
  symbology: LabelSymbology;
  onClose: () => void;
}

type Output = "printer" | "file";

export function PrintDialog({ source, symbology, onClose }: Props) {
  const t = useT();
  const backend = useBackend();
  const [profiles, setProfiles] = useState<PrinterProfileDto[]>([]);
  const [printers, setPrinters] = useState<string[]>([]);
  const [draft, setDraft] = useState<PrinterProfileDto | null>(null);
  const [output, setOutput] = useState<Output>("file");
  const [printer, setPrinter] = useState<string>("");
  const [fileFormat, setFileFormat] = useState<PrintFormat | "profile">("profile");
  const { step: busy, error, setError, run: runStep } = useStep(false);
  const [result, setResult] = useState<PrintLabelsResult | null>(null);
  const [data, setData] = useState<LabelDataExportResult | null>(null);

  const choose = useCallback((p: PrinterProfileDto) => {
    setDraft({ ...p });
    if (p.printer) {
      setOutput("printer");
      setPrinter(p.printer);
    }
  }, []);

  const load = useCallback(
    async (select?: string) => {
      const [list, os] = await Promise.all([backend.printerProfiles(), backend.osPrinters().catch(() => [] as string[])]);
      setProfiles(list);
      setPrinters(os);
      const pick = list.find((p) => p.name === select) ?? list[0];
      if (pick) choose(pick);
      if (os.length > 0 && !pick?.printer) setPrinter(os[0]);
    },
    [backend, choose],
  );

  useEffect(() => {
    if (!source) return;
    setResult(null);
    setData(null);
    setError(null);
    load().catch((e) => setError(toApiError(e)));
  }, [source, load]);

  const run = (work: () => Promise<void>) => runStep(true, work);

  const target = () => ({
    format: output === "file" && fileFormat !== "profile" ? fileFormat : null,
    printer: output === "printer" ? printer : "",
    path: "",
    fontPath: null,
  });

  const save = () =>
    run(async () => {
      if (!draft) return;
      const kept = await backend.savePrinterProfile({ ...draft, printer: output === "printer" ? printer : draft.printer });
      await load(kept.name);
    });
  const remove = () =>
    run(async () => {
      if (!draft) return;
      await backend.deletePrinterProfile(draft.name);
      await load();
    });
  const testLabel = () =>
    run(async () => {
      if (!draft) return;
      setResult(await backend.printTestLabel({ profile: draft.name, ...target() }));
    });
  const print = () =>
    run(async () => {
      if (!draft || !source) return;
      const custom = profiles.some((p) => sameProfile(p, draft)) ? null : draft;
      setResult(
        await backend.printLabels({
          allocationId: source.allocationId,
          inputPath: null,
          codes: source.codes,
          symbology,
          profile: draft.name,
          customProfile: custom,
          ...target(),
        }),
      );
    });
  const exportData = () =>
    run(async () => {
      if (!source) return;
      setData(
        await backend.exportLabelData({ allocationId: source.allocationId, inputPath: null, codes: source.codes, path: "", format: "xlsx" }),
      );
    });

  const set = <K extends keyof PrinterProfileDto>(key: K, value: PrinterProfileDto[K] | null) => {
    if (draft && value !== null) setDraft({ ...draft, [key]: value });
  };
  const p = t.print;
  /** A choice of the drawn profile, as buttons (`print-<key>`). */
  const profileChoice = <K extends "language" | "dpi" | "barcode">(
    profile: PrinterProfileDto,
    key: K,
    label: string,
    options: [PrinterProfileDto[K], ReactNode][],
  ) => (
    <Col span={8}>
      <Form.Item label={label}>
        <Radio.Group data-testid={`print-${key}`} value={profile[key]} onChange={(e) => set(key, e.target.value)}>
          {options.map(([value, text]) => (
            <Radio.Button key={value} value={value}>
              {text}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
    </Col>
  );
  /** A size of the drawn profile, in millimetres. */
  const profileSize = (
    profile: PrinterProfileDto,
    key: "labelWidthMm" | "labelHeightMm" | "gapMm" | "offsetXMm" | "offsetYMm",
    testId: string,
    label: string,
    span: number,
    input: Pick<InputNumberProps<number>, "min" | "step" | "addonAfter">,
  ) => (
    <Col span={span}>
      <Form.Item label={label}>
        <InputNumber data-testid={testId} value={profile[key]} {...input} onChange={(v) => set(key, v)} />
      </Form.Item>
    </Col>
  );

  return (
    <Modal
      open={source !== null}
      title={p.title}
      onCancel={onClose}
      width={720}
      data-testid="print-dialog"
      footer={
        <Space>
          <Button data-testid="print-export-data" disabled={busy} onClick={() => void exportData()}>
            {p.exportData}
          </Button>
          <Button data-testid="print-test" disabled={busy || !draft} onClick={() => void testLabel()}>
            {p.testLabel}
          </Button>
          <Button type="primary" data-testid="print-go" loading={busy} disabled={!draft || (output === "printer" && !printer)} onClick={() => void print()}>
            {output === "printer" ? p.send(source?.count ?? 0) : p.saveJob(source?.count ?? 0)}
          </Button>
        </Space>
      }
    >
      {draft && (
        <Form layout="vertical" size="small" className="print-form">
          <Row gutter={12}>
            <Col span={14}>
              <Form.Item label={p.profile}>
                <Select
                  data-testid="print-profile"
                  value={draft.name}
                  onChange={(name: string) => {
                    const found = profiles.find((x) => x.name === name);
                    if (found) choose(found);
                  }}
                  options={profiles.map((x) => ({ value: x.name, label: x.builtIn ? `${x.name}${p.builtIn}` : x.name }))}
                />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item label={p.name}>
                <Input data-testid="print-name" value={draft.name} onChange={(e) => set("name", e.target.value)} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={12}>
            {profileChoice(draft, "language", p.language, [
              ["tspl", "TSPL"],
              ["zpl", "ZPL"],
            ])}
            {profileChoice(draft, "dpi", p.dpi, [
              [203, "203"],
              [300, "300"],
            ])}
            {profileChoice(draft, "barcode", p.barcode, [
              ["native", p.native],
              ["bitmap", p.bitmap],
            ])}
          </Row>
          <Row gutter={12}>
            {profileSize(draft, "labelWidthMm", "print-width", p.width, 6, { min: 0, step: 5, addonAfter: "mm" })}
            {profileSize(draft, "labelHeightMm", "print-height", p.height, 6, { min: 0, step: 5, addonAfter: "mm" })}
            {profileSize(draft, "gapMm", "print-gap", p.gap, 4, { min: 0, step: 0.5 })}
            {profileSize(draft, "offsetXMm", "print-offset-x", p.offsetX, 4, { step: 0.5 })}
            {profileSize(draft, "offsetYMm", "print-offset-y", p.offsetY, 4, { step: 0.5 })}
          </Row>
          <Form.Item label={p.output}>
            <Space wrap>
              <Radio.Group data-testid="print-output" value={output} onChange={(e) => setOutput(e.target.value)}>
                <Radio.Button value="printer" disabled={printers.length === 0}>
                  {p.toPrinter}
                </Radio.Button>
                <Radio.Button value="file">{p.toFile}</Radio.Button>
              </Radio.Group>
              {output === "printer" ? (
                <Select
                  data-testid="print-printer"
                  style={{ minWidth: 220 }}
                  value={printer || undefined}
                  placeholder={p.pickPrinter}
                  onChange={(v: string) => setPrinter(v)}
                  options={printers.map((x) => ({ value: x, label: x }))}
                />
              ) : (
                <Select
                  data-testid="print-file-format"
                  style={{ minWidth: 220 }}
                  value={fileFormat}
                  onChange={(v: PrintFormat | "profile") => setFileFormat(v)}
                  options={[
                    { value: "profile", label: p.formatOfProfile(draft.language.toUpperCase()) },
                    { value: "pdf-label", label: p.pdfLabel },
                  ]}
                />
              )}
            </Space>
            {printers.length === 0 && <Typography.Paragraph type="secondary">{p.noPrinters}</Typography.Paragraph>}
          </Form.Item>
          <Space>
            <Button data-testid="print-save-profile" disabled={busy} onClick={() => void save()}>
              {p.saveProfile}
            </Button>
            {!draft.builtIn && (
              <Button data-testid="print-delete-profile" danger disabled={busy} onClick={() => void remove()}>
                {p.deleteProfile}
              </Button>
            )}
          </Space>
        </Form>
      )}
      {result && (
        <Alert
          className="result-alert"
          type="success"
          showIcon
          data-testid="print-result"
          title={result.printer ? p.sent(result.labels, result.printer, result.printerReply ?? "") : p.saved(result.labels, result.path)}
          description={result.omittedTextLines > 0 ? p.omitted : undefined}
        />
      )}
      {data && <Alert className="result-alert" type="success" showIcon data-testid="print-data-result" title={p.dataSaved(data.rows, data.path)} />}
      <ErrorAlert error={error} testId="print-error" />
    </Modal>
  );
}

/** The draft is a saved or built-in profile unchanged (so the job names it instead of carrying it). */
function sameProfile(a: PrinterProfileDto, b: PrinterProfileDto): boolean {
  return (Object.keys(a) as (keyof PrinterProfileDto)[]).every((k) => k === "printer" || a[k] === b[k]);
}

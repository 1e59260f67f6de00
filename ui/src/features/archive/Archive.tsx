// 档案: every archived request and response, with filters, the hash-chain check, and the report,
// evidence pack and file exports. Test ids: `archive-*`.

import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { ArchiveEntry, ArchivePage, ArchiveVerification, ExportedFile } from "../../api/submissionApi";
import { PageHeader } from "../../components/PageHeader";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";

function day(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function Archive() {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const showError = useErrorNotice();
  const [page, setPage] = useState<ArchivePage | null>(null);
  const [direction, setDirection] = useState<string>("");
  const [search, setSearch] = useState("");
  const [verification, setVerification] = useState<ArchiveVerification | null>(null);
  const today = new Date();
  const [from, setFrom] = useState(`${today.getFullYear() - 1}-01-01`);
  const [to, setTo] = useState(day(today));
  const [exported, setExported] = useState<ExportedFile | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setPage(await backend.listArchive({ from: null, to: null, direction: direction || null, search, offset: 0, limit: 200 }));
    } catch (e) {
      showError(e);
    }
  }, [backend, direction, search, showError]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const verify = async () => {
    try {
      setVerification(await backend.verifyArchive());
    } catch (e) {
      showError(e);
    }
  };

  const run = async (what: () => Promise<ExportedFile>) => {
    setBusy(true);
    try {
      setExported(await what());
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const columns = [
    { title: "#", dataIndex: "id", key: "id", width: 70 },
    { title: t.archiveView.colTime, dataIndex: "at", key: "at", width: 200 },
    {
      title: t.archiveView.colDirection,
      dataIndex: "direction",
      key: "direction",
      width: 90,
      render: (d: string) => <Tag color={d === "request" ? "blue" : "purple"}>{d === "request" ? t.archiveView.request : t.archiveView.response}</Tag>,
    },
    { title: t.archiveView.colEndpoint, key: "endpoint", render: (_: unknown, e: ArchiveEntry) => `${e.method} ${e.endpoint}` },
    { title: t.archiveView.colStatus, dataIndex: "status", key: "status", width: 70 },
    { title: t.archiveView.colOutcome, dataIndex: "outcome", key: "outcome", width: 140 },
    { title: t.archiveView.colRecords, key: "n", width: 80, render: (_: unknown, e: ArchiveEntry) => e.recordKeys.length },
  ];

  return (
    <div data-testid="screen-archive" className="screen">
      <PageHeader
        title={t.nav.archive}
        extra={
          <Button onClick={() => void verify()} data-testid="archive-verify">
            {t.archiveView.verify}
          </Button>
        }
      />
      {verification && (
        <Alert
          type={verification.ok ? "success" : "error"}
          showIcon
          data-testid="archive-verify-result"
          title={
            verification.ok
              ? t.archiveView.verifyOk(verification.entries)
              : verification.chain_ok
                ? t.archiveView.verifyRecordsBad(verification.record_first_bad ?? 0)
                : t.archiveView.verifyBad(verification.first_bad ?? 0)
          }
          description={
            <>
              {verification.chain_ok
                ? verification.record_reason_zh && (
                    <div>{language === "en" ? verification.record_reason_en : verification.record_reason_zh}</div>
                  )
                : verification.reason && <div>{language === "en" ? verification.reason : (verification.reason_zh ?? verification.reason)}</div>}
              <Typography.Text type="secondary">
                {t.archiveView.headHash}: <Typography.Text code>{verification.last_hash}</Typography.Text>
              </Typography.Text>
            </>
          }
        />
      )}
      <Card size="small" title={t.archiveView.exportTitle} className="summary-card" data-testid="archive-export">
        <Typography.Paragraph type="secondary">{t.archiveView.exportIntro}</Typography.Paragraph>
        <Space wrap>
          <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label={t.archiveView.from} data-testid="archive-from" />
          <Input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label={t.archiveView.to} data-testid="archive-to" />
          <Button type="primary" loading={busy} onClick={() => void run(() => backend.exportSubmissionReport(from, to, null))} data-testid="archive-export-report">
            {t.archiveView.report}
          </Button>
          <Button loading={busy} onClick={() => void run(() => backend.exportEvidencePack(from, to, null))} data-testid="archive-export-evidence">
            {t.archiveView.evidence}
          </Button>
          <Button loading={busy} onClick={() => void run(() => backend.exportEpcis(null))} data-testid="archive-export-epcis">
            {t.archiveView.epcis}
          </Button>
          <Button loading={busy} onClick={() => void run(() => backend.exportUploadWorkbook(null))} data-testid="archive-export-upload">
            {t.archiveView.upload}
          </Button>
        </Space>
        {exported && (
          <Alert
            className="empty-note"
            type="success"
            showIcon
            data-testid="archive-exported"
            title={`${t.archiveView.exported}：${exported.path}`}
            description={`${t.archiveView.exportedRecords(exported.records)} · SHA-256 ${exported.sha256}`}
          />
        )}
      </Card>
      <Card size="small" title={t.archiveView.filters} className="summary-card">
        <Space wrap style={{ marginBottom: 8 }}>
          <Select
            value={direction}
            style={{ width: 140 }}
            onChange={setDirection}
            options={[
              { value: "", label: t.archiveView.all },
              { value: "request", label: t.archiveView.request },
              { value: "response", label: t.archiveView.response },
            ]}
            data-testid="archive-direction"
          />
          <Input.Search placeholder={t.archiveView.search} allowClear onSearch={setSearch} style={{ width: 320 }} data-testid="archive-search" />
          <Typography.Text type="secondary" data-testid="archive-total">
            {page?.total ?? 0}
          </Typography.Text>
        </Space>
        <Table
          size="small"
          rowKey="id"
          dataSource={page?.rows ?? []}
          columns={columns}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: t.archiveView.empty }}
          data-testid="archive-table"
          expandable={{
            expandedRowRender: (e: ArchiveEntry) => (
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label={t.archiveView.headers}>
                  <Typography.Text code>{e.headers}</Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label={t.archiveView.body}>
                  <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-all", maxHeight: 240, overflow: "auto", margin: 0 }}>{e.body}</pre>
                </Descriptions.Item>
                <Descriptions.Item label={t.archiveView.hash}>
                  <Typography.Text code>{e.hash}</Typography.Text>
                </Descriptions.Item>
              </Descriptions>
            ),
          }}
        />
      </Card>
    </div>
  );
}


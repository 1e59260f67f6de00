// 报送: the pre-submission checklist with click-to-fix links, the run with a progress bar and live
// per-record results, and the outbox with retry and correction. Test ids: `submission-*`.

import { Alert, Button, Card, List, Progress, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { Checklist, FixLink, OutboxEntry, OutboxPage, SubmitProgress, SubmitRecordResult, SubmitSummary } from "../../api/submissionApi";
import { useAppState } from "../../appState";
import { PageHeader } from "../../components/PageHeader";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";
import type { ScreenKey } from "../shell/screens";
import { isScreenKey } from "../shell/screens";
import { mergeResults } from "./runResults";

const STATE_COLORS: Record<string, string> = {
  accepted: "green",
  rejected: "red",
  retry_wait: "orange",
  ready: "blue",
  sending: "processing",
  superseded: "default",
};

export function Submission({ onNavigate }: { onNavigate: (screen: ScreenKey) => void }) {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const { status } = useAppState();
  const showError = useErrorNotice();
  const [checklist, setChecklist] = useState<Checklist | null>(null);
  const [outbox, setOutbox] = useState<OutboxPage | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<SubmitProgress | null>(null);
  const [results, setResults] = useState<SubmitRecordResult[]>([]);
  const [summary, setSummary] = useState<SubmitSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [c, o] = await Promise.all([backend.submissionChecklist(), backend.listOutbox({ search: "", states: [], kind: null, from: null, to: null, offset: 0, limit: 200 })]);
      setChecklist(c);
      setOutbox(o);
    } catch (e) {
      showError(e);
    }
  }, [backend, showError]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const go = (fix: FixLink) => {
    if (isScreenKey(fix.screen)) onNavigate(fix.screen);
  };

  const start = async () => {
    setRunning(true);
    setSummary(null);
    setResults([]);
    setNotice(null);
    try {
      const s = await backend.submitRecords({ platform: null, maxWaitSecs: null }, (p) => {
        setProgress(p);
        if (p.results.length > 0) setResults((prev) => mergeResults(prev, p.results));
      });
      setSummary(s);
      setResults(s.results);
    } catch (e) {
      showError(e);
    } finally {
      setRunning(false);
      await reload();
    }
  };

  const retry = async (id: number) => {
    try {
      await backend.retryRejected([id]);
      await reload();
    } catch (e) {
      showError(e);
    }
  };

  const correct = async (id: number) => {
    try {
      await backend.openCorrection(id);
      setNotice(t.submission.correctDone);
      await reload();
    } catch (e) {
      showError(e);
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.done * 100) / progress.total) : running ? 0 : 100;
  const practice = status.platform?.mode !== "remote";
  // Another process (a scheduled `tracedesk submit`, another window) holds the submission lease.
  const otherRun = outbox?.lease && !outbox.lease.thisProcess ? outbox.lease : null;

  // Kind, record and state read the same in the run's results and in the outbox.
  const recordColumns = [
    { title: t.submission.colKind, dataIndex: "kind", key: "kind", width: 110, render: (k: string) => t.submission.kind[k] ?? k },
    { title: t.submission.colRecord, dataIndex: "label", key: "label" },
    {
      title: t.submission.colState,
      dataIndex: "state",
      key: "state",
      width: 110,
      render: (s: string) => <Tag color={STATE_COLORS[s]}>{t.submission.state[s] ?? s}</Tag>,
    },
  ];

  const resultColumns = [
    ...recordColumns,
    {
      title: t.submission.colReceipt,
      key: "detail",
      render: (_: unknown, r: SubmitRecordResult) =>
        r.state === "rejected" ? (
          <Typography.Text type="danger" data-testid="submission-reject-reason">
            {r.code} {r.reason}
          </Typography.Text>
        ) : (
          <span>
            {r.receiptId} {r.duplicate ? <Tag>{t.submission.duplicate}</Tag> : null}
          </span>
        ),
    },
    {
      title: t.submission.colActions,
      key: "actions",
      width: 120,
      render: (_: unknown, r: SubmitRecordResult) =>
        r.fix ? (
          <Button size="small" type="link" onClick={() => r.fix && go(r.fix)} data-testid={`submission-fix-${r.outboxId}`}>
            {t.submission.fix}
          </Button>
        ) : null,
    },
  ];

  const outboxColumns = [
    { title: "#", dataIndex: "id", key: "id", width: 60 },
    ...recordColumns,
    {
      title: t.submission.colReceipt,
      key: "detail",
      render: (_: unknown, r: OutboxEntry) => (r.state === "rejected" ? `${r.rejectCode ?? ""} ${r.rejectReason ?? ""}` : (r.receiptId ?? r.lastError ?? "")),
    },
    {
      title: t.submission.colActions,
      key: "actions",
      width: 200,
      render: (_: unknown, r: OutboxEntry) => (
        <Space size={0}>
          {r.state === "rejected" && (
            <>
              <Button size="small" type="link" onClick={() => go(r.fix)} data-testid={`submission-outbox-fix-${r.id}`}>
                {t.submission.fix}
              </Button>
              <Button size="small" type="link" onClick={() => void retry(r.id)} data-testid={`submission-retry-${r.id}`}>
                {t.submission.retry}
              </Button>
            </>
          )}
          {r.state === "accepted" && r.kind !== "errorDeclaration" && !r.correctionOpen && (
            <Button size="small" type="link" onClick={() => void correct(r.id)} data-testid={`submission-correct-${r.id}`}>
              {t.submission.correct}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="screen-submission" className="screen">
      <PageHeader title={t.nav.submission} />
      {practice && <Alert type="warning" showIcon title={t.submission.practiceNote} className="empty-note" data-testid="submission-practice-note" />}
      {outbox && (
        <Alert
          type={outbox.target.practice ? "warning" : "info"}
          showIcon
          title={language === "en" ? outbox.target.messageEn : outbox.target.messageZh}
          className="empty-note"
          data-testid="submission-target"
        />
      )}
      {otherRun && (
        <Alert
          type="error"
          showIcon
          title={language === "en" ? otherRun.messageEn : otherRun.messageZh}
          className="empty-note"
          data-testid="submission-lease"
        />
      )}
      <Card
        size="small"
        title={t.submission.checklistTitle}
        extra={
          <Button size="small" onClick={() => void reload()} data-testid="submission-refresh">
            {t.submission.refresh}
          </Button>
        }
        data-testid="submission-checklist"
      >
        {checklist?.blocker && (
          <Alert
            type="error"
            showIcon
            title={language === "en" ? checklist.blocker.messageEn : checklist.blocker.messageZh}
            action={<Button onClick={() => checklist.blocker && go(checklist.blocker.fix)}>{t.submission.fix}</Button>}
          />
        )}
        {checklist && !checklist.blocker && (
          <>
            <Typography.Paragraph data-testid="submission-checklist-summary">
              {checklist.pending === 0 ? t.submission.checklistNothing : t.submission.checklistSummary(checklist.pending, checklist.complete)}
            </Typography.Paragraph>
            {checklist.items.length > 0 && <Alert type="warning" showIcon title={t.submission.checklistWarning(checklist.items.length)} />}
            <List
              size="small"
              dataSource={checklist.items.flatMap((item) => item.problems.map((p, i) => ({ item, p, key: `${item.kind}-${item.label}-${i}` })))}
              renderItem={({ item, p, key }) => (
                <List.Item
                  key={key}
                  data-testid="submission-problem"
                  actions={[
                    <Button key="fix" type="link" size="small" onClick={() => go(p.fix)} data-testid="submission-problem-fix">
                      {t.submission.fix}
                    </Button>,
                  ]}
                >
                  <Typography.Text strong>{t.submission.kind[item.kind] ?? item.kind}</Typography.Text>&nbsp;{item.label}：{language === "en" ? p.messageEn : p.messageZh}
                </List.Item>
              )}
            />
          </>
        )}
      </Card>
      <Card size="small" title={t.submission.submitTitle} className="summary-card">
        <Space>
          <Button type="primary" onClick={() => void start()} loading={running} disabled={running || !!checklist?.blocker || !!otherRun} data-testid="submission-start">
            {running ? t.submission.running : t.submission.start}
          </Button>
          {running && (
            <Button onClick={() => void backend.cancelSubmission()} data-testid="submission-cancel">
              {t.submission.cancel}
            </Button>
          )}
        </Space>
        {(running || progress) && (
          <div data-testid="submission-progress">
            <Progress percent={percent} status={running ? "active" : undefined} />
            <Typography.Text type="secondary">
              {t.submission.phase[progress?.phase ?? "preparing"] ?? progress?.phase} · {t.submission.progress(progress?.done ?? 0, progress?.total ?? 0)}
            </Typography.Text>
          </div>
        )}
        {summary && (
          <Alert
            className="empty-note"
            type={summary.stop === "done" && summary.rejected === 0 ? "success" : "warning"}
            showIcon
            title={t.submission.stopTitle[summary.stop] ?? summary.stop}
            description={language === "en" ? summary.messageEn : summary.messageZh}
            data-testid="submission-summary"
          />
        )}
        {notice && <Alert className="empty-note" type="info" showIcon title={notice} data-testid="submission-notice" />}
        {results.length > 0 && (
          <Table
            size="small"
            rowKey="outboxId"
            pagination={{ pageSize: 20 }}
            dataSource={results}
            columns={resultColumns}
            data-testid="submission-results"
            title={() => (summary && summary.resultsOmitted > 0 ? `${t.submission.resultsTitle} · ${t.submission.resultsOmitted(summary.resultsOmitted)}` : t.submission.resultsTitle)}
          />
        )}
        <Typography.Paragraph type="secondary" className="empty-note">
          {t.submission.resubmitHint}
        </Typography.Paragraph>
      </Card>
      <Card size="small" title={t.submission.queueTitle} className="summary-card" data-testid="submission-outbox">
        {outbox && (
          <Space wrap style={{ marginBottom: 8 }} data-testid="submission-counts">
            {(["ready", "retry_wait", "sending", "accepted", "rejected"] as const).map((s) => (
              <Tag key={s} color={STATE_COLORS[s]}>
                {t.submission.state[s]} {outbox.counts[s]}
              </Tag>
            ))}
          </Space>
        )}
        <Table size="small" rowKey="id" dataSource={outbox?.rows ?? []} columns={outboxColumns} pagination={{ pageSize: 20 }} locale={{ emptyText: t.submission.empty }} />
        <Typography.Paragraph type="secondary">{t.submission.ecodeNote}</Typography.Paragraph>
      </Card>
    </div>
  );
}

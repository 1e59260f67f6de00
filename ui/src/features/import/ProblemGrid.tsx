// The problem grid: the checked rows in a virtual table that copes with 100,000 rows (pages of
// 1,000 are fetched as the clerk scrolls), every problem next to its row and the bad cells marked,
// and inline fixing: click a cell, type, Enter re-reads and re-checks that row in Rust.

import { Input, Segmented, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useCallback, useEffect, useRef, useState } from "react";
import { useBackend } from "../../api";
import type { ImportProblem, ImportReport, ImportRow, ImportRowFilter } from "../../api/importApi";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useLanguage, useT } from "../../i18n";

const PAGE = 1000;

interface Props {
  report: ImportReport;
  onReport: (report: ImportReport) => void;
}

export function problemText(p: ImportProblem, language: string): string {
  return language === "en" ? p.messageEn || p.messageZh : p.messageZh || p.messageEn;
}

export function ProblemGrid({ report, onReport }: Props) {
  const t = useT();
  const w = t.importWizard;
  const language = useLanguage();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const [filter, setFilter] = useState<ImportRowFilter>(report.rowsInvalid + report.rowsWarning > 0 ? "problems" : "all");
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<{ row: number; field: string } | null>(null);
  const [draft, setDraft] = useState("");
  const [saving, setSaving] = useState(false);
  const loadingMore = useRef(false);
  const sessionId = report.sessionId;

  const load = useCallback(
    async (which: ImportRowFilter, offset: number) => {
      setLoading(true);
      try {
        const page = await backend.importRows({ sessionId, filter: which, offset, limit: PAGE });
        setRows((old) => (offset === 0 ? page.rows : [...old, ...page.rows]));
        setTotal(page.total);
      } catch (reason) {
        notifyError(reason);
      } finally {
        setLoading(false);
        loadingMore.current = false;
      }
    },
    [backend, sessionId, notifyError],
  );

  useEffect(() => {
    void load(filter, 0);
  }, [load, filter]);

  const save = async (row: ImportRow, field: string) => {
    if (saving) return;
    setSaving(true);
    try {
      const values = row.values.map((v) => (v.field === field ? { field, text: draft } : v));
      const fixed = await backend.importFixRow({ sessionId, row: row.row, values });
      setRows((old) => old.map((r) => (r.row === row.row ? fixed.row : r)));
      onReport(fixed.report);
      setEditing(null);
    } catch (reason) {
      notifyError(reason);
    } finally {
      setSaving(false);
    }
  };

  const fieldName = (key: string) => {
    const f = report.fields.find((x) => x.key === key);
    return f ? (language === "en" ? f.en : f.zh) : key;
  };
  const mapped = report.fields.filter((f) => report.columns.some((c) => c.field === f.key)).map((f) => f.key);

  const columns: ColumnsType<ImportRow> = [
    {
      title: w.rowNumber,
      dataIndex: "row",
      width: 64,
      fixed: "left",
      render: (row: number, r) => (
        <span data-testid={`import-grid-row-${row}`}>
          {row}
          {r.edited && (
            <Tag color="blue" className="import-edited-tag">
              {w.editedTag}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: "",
      dataIndex: "status",
      width: 84,
      render: (status: ImportRow["status"], r) => (
        <Tag
          data-testid={`import-row-status-${r.row}`}
          data-status={status}
          color={status === "invalid" ? "red" : status === "exists" ? "default" : "green"}
        >
          {status === "invalid" ? w.statusInvalid : status === "exists" ? w.statusExists : w.statusNew}
        </Tag>
      ),
    },
    ...mapped.map((field) => ({
      title: fieldName(field),
      key: field,
      width: 140,
      render: (_: unknown, r: ImportRow) => {
        const value = r.values.find((v) => v.field === field)?.text ?? "";
        const here = r.problems.filter((p) => p.field === field);
        const level = here.some((p) => p.severity === "error") ? "error" : here.length > 0 ? "warning" : "";
        if (editing && editing.row === r.row && editing.field === field) {
          return (
            <Input
              size="small"
              autoFocus
              data-testid={`import-cell-input-${r.row}-${field}`}
              value={draft}
              disabled={saving}
              onChange={(e) => setDraft(e.target.value)}
              onPressEnter={() => void save(r, field)}
              onKeyDown={(e) => {
                if (e.key === "Escape") setEditing(null);
              }}
            />
          );
        }
        return (
          <div
            role="button"
            tabIndex={0}
            className={`import-cell ${level ? `import-cell-${level}` : ""}`}
            data-testid={`import-cell-${r.row}-${field}`}
            title={here.map((p) => problemText(p, language)).join("\n")}
            onClick={() => {
              setDraft(value);
              setEditing({ row: r.row, field });
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                setDraft(value);
                setEditing({ row: r.row, field });
              }
            }}
          >
            {value || "\u00a0"}
          </div>
        );
      },
    })),
    {
      title: w.problemsColumn,
      key: "problems",
      width: 460,
      render: (_: unknown, r: ImportRow) => (
        <div className="import-problems" data-testid={`import-row-problems-${r.row}`}>
          {r.problems.map((p, i) => (
            <div key={i} className={`import-problem import-problem-${p.severity}`} data-code={p.code}>
              {problemText(p, language)}
            </div>
          ))}
        </div>
      ),
    },
  ];

  return (
    <div className="import-grid" data-testid="import-grid">
      <Space className="import-grid-bar" wrap>
        <Segmented<ImportRowFilter>
          value={filter}
          onChange={(v) => setFilter(v)}
          data-testid="import-filter"
          options={[
            { value: "problems", label: w.filterProblems },
            { value: "errors", label: w.filterErrors },
            { value: "warnings", label: w.filterWarnings },
            { value: "all", label: w.filterAll },
          ]}
        />
        <Typography.Text type="secondary" data-testid="import-grid-total">
          {w.rowsUnit(total)}
        </Typography.Text>
        <Typography.Text type="secondary">{w.editHint}</Typography.Text>
      </Space>
      <Table<ImportRow>
        virtual
        size="small"
        rowKey="row"
        bordered
        loading={loading && rows.length === 0}
        pagination={false}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 64 + 84 + mapped.length * 140 + 460, y: 420 }}
        locale={{ emptyText: w.noProblems }}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLElement;
          if (!loadingMore.current && rows.length < total && el.scrollTop + el.clientHeight > el.scrollHeight - 400) {
            loadingMore.current = true;
            void load(filter, rows.length);
          }
        }}
      />
    </div>
  );
}

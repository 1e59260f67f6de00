// A list screen's table: search, filters, column sorting, virtual scrolling that loads the next
// page as the clerk scrolls, and an xlsx export of every row the filters select.

import { SearchOutlined } from "@ant-design/icons";
import { Button, Input, Space, Table, Typography } from "antd";
import type { ColumnsType, TableProps } from "antd/es/table";
import { useCallback, useEffect, useRef, useState, type HTMLAttributes, type KeyboardEvent, type ReactNode } from "react";
import { useBackend } from "../../api";
import type { ListQuery } from "../../api/bindings/ListQuery";
import type { Page } from "../../api/bindings/Page";
import type { ListKind } from "../../api/entriesBackend";
import { ExportButtons } from "../../components/ExportButtons";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";

const PAGE = 100;

export const EMPTY_QUERY: ListQuery = {
  search: "",
  sort: null,
  descending: false,
  offset: 0,
  limit: PAGE,
  inspection: null,
  kind: null,
  from: null,
  to: null,
};

export interface RecordListProps<T extends { id: number }> {
  /** `list-<testId>` on the table, `<testId>-search` on the search box, `<testId>-export` on export. */
  testId: string;
  columns: ColumnsType<T>;
  load: (query: ListQuery) => Promise<Page<T>>;
  exportKind: ListKind;
  exportName: string;
  /** Filters beyond the search box, rendered left of it; they change `query` through `setQuery`. */
  filters?: (query: ListQuery, setQuery: (q: ListQuery) => void) => ReactNode;
  onOpen?: (row: T) => void;
  /** Bump to reload (after a save). */
  reloadKey?: number;
  searchPlaceholder: string;
  height?: number;
}

export function RecordList<T extends { id: number }>({
  testId,
  columns,
  load,
  exportKind,
  exportName,
  filters,
  onOpen,
  reloadKey,
  searchPlaceholder,
  height = 460,
}: RecordListProps<T>) {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const [query, setQuery] = useState<ListQuery>(EMPTY_QUERY);
  const [search, setSearch] = useState("");
  const [rows, setRows] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const fetchPage = useCallback(
    (q: ListQuery, append: boolean) => {
      const mine = ++seq.current;
      setLoading(true);
      load(q).then(
        (page) => {
          if (mine !== seq.current) return;
          setRows((before) => (append ? [...before, ...page.rows] : page.rows));
          setTotal(page.total);
          setLoading(false);
        },
        (reason) => {
          if (mine !== seq.current) return;
          setLoading(false);
          notifyError(reason);
        },
      );
    },
    [load, notifyError],
  );

  useEffect(() => fetchPage({ ...query, offset: 0 }, false), [query, fetchPage, reloadKey]);

  // The search box waits for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => setQuery((q) => (q.search === search ? q : { ...q, search, offset: 0 })), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const loadMore = () => {
    if (loading || rows.length >= total) return;
    fetchPage({ ...query, offset: rows.length }, true);
  };

  const onChange: TableProps<T>["onChange"] = (_pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = s?.order ? String(s.columnKey ?? s.field ?? "") : null;
    setQuery((q) => ({ ...q, sort: key || null, descending: s?.order === "descend", offset: 0 }));
  };

  return (
    <div className="record-list" data-testid={`list-${testId}`}>
      <div className="record-list-bar">
        <Space wrap>
          {filters?.(query, (q) => setQuery({ ...q, offset: 0 }))}
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={searchPlaceholder}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className="record-list-search"
            data-testid={`${testId}-search`}
          />
        </Space>
        <Space>
          <Typography.Text type="secondary" data-testid={`${testId}-count`}>
            {t.entry.shownOf(rows.length, total)}
          </Typography.Text>
          <ExportButtons
            run={(path) => backend.exportList(exportKind, { ...query, offset: 0, limit: 0 }, path)}
            defaultName={exportName}
            label={t.entry.exportXlsx}
            testId={`${testId}-export`}
          />
        </Space>
      </div>
      <Table<T>
        virtual
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={loading && rows.length === 0}
        pagination={false}
        scroll={{ x: 900, y: height }}
        onChange={onChange}
        onScroll={(e) => {
          const el = e.currentTarget;
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 120) loadMore();
        }}
        onRow={(row) =>
          ({
            onClick: () => onOpen?.(row),
            onKeyDown: (e: KeyboardEvent) => {
              if (e.key === "Enter") onOpen?.(row);
            },
            tabIndex: 0,
            "data-testid": `${testId}-row`,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      {rows.length < total && (
        <div className="record-list-more">
          <Button type="link" onClick={loadMore} loading={loading} data-testid={`${testId}-more`}>
            {t.entry.loadMore}
          </Button>
        </div>
      )}
    </div>
  );
}

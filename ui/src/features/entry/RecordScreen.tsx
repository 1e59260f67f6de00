// The frame of every record list screen (往来单位, 产品, 进货, 生产, 销售): the header with the
// screen's title and its "new record" button, the record list, and the form drawer when open.
// `name` names them all: `screen-<name>`, `<name>-new`, and the list's test id.

import type { ReactNode } from "react";
import { PageHeader } from "../../components/PageHeader";
import { RecordList, type RecordListProps } from "./RecordList";
import { NewRecordButton } from "./useEntryScreen";

interface Props<T extends { id: number }>
  extends Omit<RecordListProps<T>, "testId" | "exportName" | "searchPlaceholder" | "reloadKey" | "onOpen"> {
  name: string;
  title: ReactNode;
  /** The screen's texts: its "new" button, export file name and search hint. */
  texts: { add: string; exportName: string; searchPlaceholder: string };
  /** The form drawer's state (`useRecordDrawer` or `useEntryScreen`). */
  drawer: { openNew: () => void; reload: number; open: (row: T) => void };
  /** The form drawer, when it is open. */
  children?: ReactNode;
}

export function RecordScreen<T extends { id: number }>({ name, title, texts, drawer, children, ...list }: Props<T>) {
  return (
    <div data-testid={`screen-${name}`} className="screen">
      <PageHeader title={title} extra={<NewRecordButton label={texts.add} onClick={drawer.openNew} testId={`${name}-new`} />} />
      <RecordList<T>
        testId={name}
        exportName={texts.exportName}
        searchPlaceholder={texts.searchPlaceholder}
        reloadKey={drawer.reload}
        onOpen={drawer.open}
        {...list}
      />
      {children}
    </div>
  );
}

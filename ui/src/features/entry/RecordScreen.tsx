// The frame of every record list screen (往来单位, 产品, 进货, 生产, 销售): the header with the
// screen's title and its "new record" button, the record list with its filter, and the form
// drawer when open. `name` names them all: `screen-<name>`, `<name>-new`, and the list's test id.

import type { ReactNode } from "react";
import { PageHeader } from "../../components/PageHeader";
import { RecordList, type RecordListProps } from "./RecordList";
import { ListFilterSelect, NewRecordButton, useRecordDrawer, type EntryFormProps, type ListFilter } from "./useEntryScreen";

interface Props<T extends { id: number }>
  extends Omit<RecordListProps<T>, "testId" | "exportName" | "searchPlaceholder" | "reloadKey" | "onOpen" | "filters"> {
  name: string;
  title: ReactNode;
  /** The screen's texts: its "new" button, export file name and search hint. */
  texts: { add: string; exportName: string; searchPlaceholder: string };
  /** Loads a row whole when the clerk opens it (the entry screens, whose forms get the hints). */
  fetchFull?: (id: number) => Promise<T>;
  filter?: ListFilter;
  /** The form drawer, for a new record or the one opened. */
  form: (props: EntryFormProps<T>) => ReactNode;
}

export function RecordScreen<T extends { id: number }>({ name, title, texts, fetchFull, filter, form, ...list }: Props<T>) {
  const drawer = useRecordDrawer<T>(fetchFull);
  return (
    <div data-testid={`screen-${name}`} className="screen">
      <PageHeader title={title} extra={<NewRecordButton label={texts.add} onClick={drawer.openNew} testId={`${name}-new`} />} />
      <RecordList<T>
        testId={name}
        exportName={texts.exportName}
        searchPlaceholder={texts.searchPlaceholder}
        reloadKey={drawer.reload}
        onOpen={drawer.open}
        filters={filter && ((query, setQuery) => <ListFilterSelect filter={filter} query={query} setQuery={setQuery} />)}
        {...list}
      />
      {drawer.form.open && form(drawer.formProps)}
    </div>
  );
}

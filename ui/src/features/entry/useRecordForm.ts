// What every add-or-edit form (往来单位, 产品, 进货, 生产, 销售) shares around `useEntry`: saving
// adds or updates the record and then uploads the attachments the clerk picked; a saved edit
// closes the drawer, a saved new record starts the next blank one (and moves the focus back to
// its first field); a submitted record is read only; and the drawer's buttons and history tab.

import { App } from "antd";
import { useState } from "react";
import { useBackend } from "../../api";
import type { PickedFile } from "../../api/backend";
import type { FieldProblem } from "../../api/bindings/FieldProblem";
import type { RecordKind } from "../../api/bindings/RecordKind";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useEntry } from "./useEntry";

/** What the list screen hands its form drawer. */
export interface RecordFormProps<R> {
  /** The record opened from the list; `null` for a new one. */
  editing: R | null;
  onClose: () => void;
  onSaved: (record: R) => void;
}

/** A record form's texts: its drawer's titles and the message of a saved record. */
export interface RecordFormTexts {
  newTitle: string;
  editTitle: (label: string) => string;
  saved: (label: string) => string;
}

export function useRecordForm<I, R extends { id: number; submittedAt?: string | null }>(
  { editing, onSaved, onClose }: RecordFormProps<R>,
  options: {
    /** Also the drawer's test id (`entry-<kind>`, `<kind>-save`). */
    kind: RecordKind;
    /** The form's input for an opened record. */
    fromRecord: (record: R) => I;
    /** A blank record; after a saved new one, from the one just saved (to keep e.g. its date). */
    blank: (keep?: I) => I;
    /** The back end's commands; `id` is the edited record's (`null`: a new one). */
    check: (input: I, id: number | null) => Promise<FieldProblem[]>;
    add: (input: I) => Promise<R>;
    update: (id: number, input: I) => Promise<R>;
    /** The purpose the picked attachments are saved under; absent for a form without attachments. */
    attachmentPurpose?: string;
    texts: RecordFormTexts;
    /** How the titles and the saved message name a record (its lot, its name…). */
    label: (record: R) => string;
    /** Resets the form's own state when the next blank record starts. */
    onNext?: () => void;
    /** Whether the drawer is open and the live check runs (default: yes). */
    enabled?: boolean;
  },
) {
  const { kind, attachmentPurpose, texts, label } = options;
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const { message } = App.useApp();
  const [round, setRound] = useState(0);
  const [pending, setPending] = useState<PickedFile[]>([]);
  const enabled = options.enabled ?? true;
  const form = useEntry<I, R>({
    initial: editing ? options.fromRecord(editing) : options.blank(),
    check: (input) => options.check(input, editing?.id ?? null),
    save: async (input) => {
      const saved = editing ? await options.update(editing.id, input) : await options.add(input);
      if (attachmentPurpose && pending.length) {
        await backend.addAttachments(kind, saved.id, pending.map((p) => p.token), attachmentPurpose).catch(notifyError);
      }
      return saved;
    },
    onSaved: (record) => {
      message.success(texts.saved(label(record)));
      setPending([]);
      onSaved(record);
      if (editing) onClose();
      else {
        form.reset(options.blank(form.value));
        options.onNext?.();
        setRound((n) => n + 1);
      }
    },
    enabled,
  });
  const readOnly = !!editing?.submittedAt;
  return {
    form,
    round,
    /** The `Attachments` props for the files picked to attach on saving. */
    attachments: { pending, onPending: setPending },
    /** The `EntryDrawer` props every record form passes the same way. */
    drawer: {
      open: enabled,
      title: editing ? texts.editTitle(label(editing)) : texts.newTitle,
      testId: kind,
      history: editing ? { kind, id: editing.id } : undefined,
      saving: form.saving,
      onSave: form.save,
      onCancel: onClose,
      focusKey: round,
      readOnly,
    },
  };
}

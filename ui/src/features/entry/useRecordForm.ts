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

export function useRecordForm<I, R extends { id: number }>(options: {
  kind: RecordKind;
  editing: { id: number; submittedAt?: string | null } | null;
  initial: I;
  /** The blank record that follows a saved new one, from the one just saved (to keep e.g. its date). */
  next: (saved: I) => I;
  check: (input: I) => Promise<FieldProblem[]>;
  add: (input: I) => Promise<R>;
  update: (id: number, input: I) => Promise<R>;
  /** The purpose the picked attachments are saved under; absent for a form without attachments. */
  attachmentPurpose?: string;
  /** The success message for a saved record. */
  savedMessage: (record: R) => string;
  onSaved: (record: R) => void;
  onClose: () => void;
  /** Resets the form's own state when the next blank record starts. */
  onNext?: () => void;
  /** Whether the live check runs (default: yes). */
  enabled?: boolean;
}) {
  const { kind, editing, attachmentPurpose } = options;
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const { message } = App.useApp();
  const [round, setRound] = useState(0);
  const [pending, setPending] = useState<PickedFile[]>([]);
  const form = useEntry<I, R>({
    initial: options.initial,
    check: options.check,
    save: async (input) => {
      const saved = editing ? await options.update(editing.id, input) : await options.add(input);
      if (attachmentPurpose && pending.length) {
        await backend.addAttachments(kind, saved.id, pending.map((p) => p.token), attachmentPurpose).catch(notifyError);
      }
      return saved;
    },
    onSaved: (record) => {
      message.success(options.savedMessage(record));
      setPending([]);
      options.onSaved(record);
      if (editing) options.onClose();
      else {
        form.reset(options.next(form.value));
        options.onNext?.();
        setRound((n) => n + 1);
      }
    },
    enabled: options.enabled ?? true,
  });
  const readOnly = !!editing?.submittedAt;
  return {
    form,
    round,
    pending,
    setPending,
    readOnly,
    /** The `EntryDrawer` props every record form passes the same way. */
    drawer: {
      history: editing ? { kind, id: editing.id } : undefined,
      saving: form.saving,
      onSave: form.save,
      onCancel: options.onClose,
      focusKey: round,
      readOnly,
    },
  };
}

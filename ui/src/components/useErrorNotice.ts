// Shows any failure as an antd notification: a title for its code, the back end's message in the
// current language as the description.

import { App } from "antd";
import { useCallback } from "react";
import { toApiError } from "../api";
import { useLanguage, useT } from "../i18n";
import { localMessage } from "../lib/apiError";

export function useErrorNotice(): (reason: unknown) => void {
  const { notification } = App.useApp();
  const t = useT();
  const language = useLanguage();
  return useCallback(
    (reason: unknown) => {
      const error = toApiError(reason);
      notification.error({
        title: t.errors.title[error.code],
        description: localMessage(error, language, t.errors.noDetail),
        // Bottom right: never over the header (language switch) or the form being corrected.
        placement: "bottomRight",
        duration: 8,
      });
    },
    [notification, t, language],
  );
}

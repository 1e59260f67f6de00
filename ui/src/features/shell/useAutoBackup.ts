// The daily automatic backup: asked for once when the main window opens and then hourly while it
// runs. Rust decides whether one is due (none made today, automatic backup on) and applies the
// retention; a failure is left for the next hour (设置 and 工作台 warn when backups get old).

import { useEffect } from "react";
import { useBackend } from "../../api";

export const AUTO_BACKUP_EVERY_MS = 60 * 60 * 1000;

export function useAutoBackup() {
  const backend = useBackend();
  useEffect(() => {
    const run = () => {
      backend.autoBackup().catch(() => undefined);
    };
    run();
    const timer = setInterval(run, AUTO_BACKUP_EVERY_MS);
    return () => clearInterval(timer);
  }, [backend]);
}

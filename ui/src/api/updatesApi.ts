// The back-end operations of updates (设置 → 检查更新). `Backend` extends this interface (see
// backend.ts), built by `commands.ts` over Tauri or the replay of goldens. Downloading verifies the
// package's signature in Rust (tauri-plugin-updater); the window only shows the answers.

import type { UpdateOffer } from "./bindings/UpdateOffer";
import type { UpdateReady } from "./bindings/UpdateReady";

export type { UpdateOffer, UpdateReady };

export interface UpdatesApi {
  /** Asks the release server; `null` when this is the newest version. */
  checkUpdate(): Promise<UpdateOffer | null>;
  /** Downloads the offered package and verifies its signature; refused during a submission or an import. */
  downloadUpdate(): Promise<UpdateReady>;
  /** Installs the verified package and restarts; refused during a submission or an import. */
  installUpdate(): Promise<void>;
}

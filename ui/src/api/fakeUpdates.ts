// Updates in the in-memory back end. What the release server offers is test data (a version and
// notes); every refusal is an answer recorded from Rust (`app` tests in updates.rs).

import type { ApiError } from "./bindings/ApiError";
import type { UpdateOffer, UpdateReady, UpdatesApi } from "./updatesApi";
import recordedBadSignature from "./golden/update-bad-signature-error.json";
import recordedBusyImport from "./golden/update-busy-import-error.json";
import recordedNothingDownloaded from "./golden/update-nothing-downloaded-error.json";

export interface FakeUpdatesControl {
  /** What the release server offers; `null` (the default) when this is the newest version. */
  offer: UpdateOffer | null;
  /** The downloaded package does not match its signature. */
  tampered: boolean;
  /** An import file is open in 导入. */
  importOpen: boolean;
  /** `installUpdate` was called (the real one restarts the app). */
  installed: boolean;
}

export function createFakeUpdates(): { api: UpdatesApi; control: FakeUpdatesControl } {
  const control: FakeUpdatesControl = { offer: null, tampered: false, importOpen: false, installed: false };
  let offered: UpdateOffer | null = null;
  let ready: UpdateReady | null = null;
  const refuseWhileBusy = () => {
    if (control.importOpen) throw recordedBusyImport as ApiError;
  };
  const api: UpdatesApi = {
    async checkUpdate() {
      offered = control.offer;
      ready = null;
      return offered;
    },
    async downloadUpdate() {
      refuseWhileBusy();
      if (!offered) throw recordedNothingDownloaded as ApiError;
      if (control.tampered) throw recordedBadSignature as ApiError;
      const verified: UpdateReady = { version: offered.version, bytes: 1024, installable: true };
      ready = verified;
      return verified;
    },
    async installUpdate() {
      refuseWhileBusy();
      if (!ready) throw recordedNothingDownloaded as ApiError;
      control.installed = true;
    },
  };
  return { api, control };
}

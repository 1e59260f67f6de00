// The back-end operations of 设置 → 目录与数据: which version of each catalogue (CCC products,
// key industrial products, units) is in use, and loading a newer file. `Backend` extends this
// interface (see backend.ts). Rust validates the file, computes the difference and installs it
// (src-tauri/crates/app/src/catalogues.rs); the window only shows its answers.

import type { CatalogueFileError } from "./bindings/CatalogueFileError";
import type { CataloguePreview } from "./bindings/CataloguePreview";
import type { CatalogueRowChange } from "./bindings/CatalogueRowChange";
import type { CatalogueVersion } from "./bindings/CatalogueVersion";
import type { FileDialogOptions, PickedFile } from "./backend";

export type { CatalogueFileError, CataloguePreview, CatalogueRowChange, CatalogueVersion };

export interface CataloguesApi {
  /** Every catalogue the app uses, with the version in use and the shipped one. */
  catalogueVersions(): Promise<CatalogueVersion[]>;
  /** Asks for a catalogue file (`*.tsv`, OS "open" dialog opened by Rust); `null` when the clerk cancels. */
  chooseCatalogueFile(options: FileDialogOptions): Promise<PickedFile | null>;
  /** Validates the file (`source`: a token of `chooseCatalogueFile`) and compares it with the one in use; the token stays usable for `installCatalogue`. */
  previewCatalogue(source: string): Promise<CataloguePreview>;
  /** Installs the previewed file into the data folder; it is used at once. */
  installCatalogue(source: string): Promise<CatalogueVersion>;
  /** Goes back to the catalogue shipped with the program. */
  revertCatalogue(name: string): Promise<CatalogueVersion>;
}

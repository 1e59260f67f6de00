//! What an attachment must be before it is copied in: a file of an accepted type whose content is
//! what its name says, no larger than the limit, under a name that is safe to show and to write.
//!
//! Attachments arrive from other people (a supplier's inspection report, a customer's delivery
//! note) and are opened later by double-click, so a file is judged by its bytes, not its name:
//! a `.pdf` that is really a program is refused, and so is a name that hides its real extension
//! behind a right-to-left override or climbs out of a folder with `..\`.

use crate::messages::Msg;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::{ApiError, Result};

/// The size limit when the settings name none: 20 MB (MiB, as Windows shows sizes).
pub const DEFAULT_MAX_BYTES: u64 = 20 * MIB;
/// The setting that overrides it: a JSON number of bytes.
pub const KEY_MAX_BYTES: &str = "attachments.max_bytes";
/// The range the setting may take: 1 MB to 512 MB.
pub const MIN_MAX_BYTES: u64 = MIB;
pub const MAX_MAX_BYTES: u64 = 512 * MIB;

const MIB: u64 = 1024 * 1024;

/// How many characters, and UTF-8 bytes, a stored name may have: the bytes keep every file
/// system's 255-byte limit with room for a suffix; the characters keep lists readable.
const NAME_MAX_CHARS: usize = 100;
const NAME_MAX_BYTES: usize = 240;

/// How much of the start of a file the magic-byte sniffing looks at.
const HEAD_BYTES: usize = 8192;

/// A type attachments may have: what it is called, its media type, and the extensions a file of
/// it may carry (the first is the usual one).
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    pub label: &'static str,
    pub media_type: &'static str,
    pub extensions: &'static [&'static str],
}

const PDF: Kind = Kind {
    label: "PDF",
    media_type: "application/pdf",
    extensions: &["pdf"],
};
const PNG: Kind = Kind {
    label: "PNG",
    media_type: "image/png",
    extensions: &["png"],
};
const JPEG: Kind = Kind {
    label: "JPEG",
    media_type: "image/jpeg",
    extensions: &["jpg", "jpeg"],
};
const GIF: Kind = Kind {
    label: "GIF",
    media_type: "image/gif",
    extensions: &["gif"],
};
const WEBP: Kind = Kind {
    label: "WebP",
    media_type: "image/webp",
    extensions: &["webp"],
};
const BMP: Kind = Kind {
    label: "BMP",
    media_type: "image/bmp",
    extensions: &["bmp"],
};
const TIFF: Kind = Kind {
    label: "TIFF",
    media_type: "image/tiff",
    extensions: &["tif", "tiff"],
};
const DOCX: Kind = Kind {
    label: "Word (docx)",
    media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: &["docx"],
};
const XLSX: Kind = Kind {
    label: "Excel (xlsx)",
    media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: &["xlsx"],
};
const PPTX: Kind = Kind {
    label: "PowerPoint (pptx)",
    media_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    extensions: &["pptx"],
};
const DOC: Kind = Kind {
    label: "Word 97-2003 (doc)",
    media_type: "application/msword",
    extensions: &["doc"],
};
const XLS: Kind = Kind {
    label: "Excel 97-2003 (xls)",
    media_type: "application/vnd.ms-excel",
    extensions: &["xls"],
};
const PPT: Kind = Kind {
    label: "PowerPoint 97-2003 (ppt)",
    media_type: "application/vnd.ms-powerpoint",
    extensions: &["ppt"],
};
const ODT: Kind = Kind {
    label: "OpenDocument (odt)",
    media_type: "application/vnd.oasis.opendocument.text",
    extensions: &["odt"],
};
const ODS: Kind = Kind {
    label: "OpenDocument (ods)",
    media_type: "application/vnd.oasis.opendocument.spreadsheet",
    extensions: &["ods"],
};
const ODP: Kind = Kind {
    label: "OpenDocument (odp)",
    media_type: "application/vnd.oasis.opendocument.presentation",
    extensions: &["odp"],
};

/// Every accepted type.
pub const KINDS: &[&Kind] = &[
    &PDF, &JPEG, &PNG, &GIF, &WEBP, &BMP, &TIFF, &DOCX, &XLSX, &PPTX, &DOC, &XLS, &PPT, &ODT, &ODS,
    &ODP,
];

/// Every accepted extension, lower case, without the dot.
pub fn accepted_extensions() -> Vec<&'static str> {
    KINDS
        .iter()
        .flat_map(|k| k.extensions.iter().copied())
        .collect()
}

fn kind_of_extension(ext: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.extensions.contains(&ext))
}

/// What the content of a file turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Content {
    Accepted(&'static Kind),
    /// Something else, described for the clerk: (Chinese, English).
    Other(String, String),
}

// ---------------------------------------------------------------------------------------------
// Names

/// A name safe to store, show and write: the last part of `raw` as a path (`/` and `\` both
/// separate, so `..\..\x.pdf` is `x.pdf` on every system), without control characters, bidi
/// controls (U+202A–U+202E, U+2066–U+2069 and the marks U+200E, U+200F, U+061C, which can make
/// `報告<U+202E>fdp.exe` read as `報告exe.pdf`), zero-width characters, or the characters Windows
/// forbids in names; without leading dots or spaces (no hidden files, no `..`) and trailing dots or
/// spaces (Windows drops them); a Windows device name (`CON`, `NUL.pdf`, `COM1`…) gets a leading
/// `_`; at most 100 characters and 240 UTF-8 bytes, the extension kept. Empty becomes
/// `attachment`.
///
/// Hand-written: the crates that do this (`sanitize-filename`) keep bidi controls and cut
/// extensions, and neither is acceptable here.
pub fn sanitise_name(raw: &str) -> String {
    let last = raw
        .rsplit(['/', '\\'])
        .find(|part| !part.trim_matches([' ', '.']).is_empty())
        .unwrap_or("");
    let mut name: String = last
        .chars()
        .filter_map(|c| match c {
            c if c.is_control() => None,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
            '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{FEFF}' => None,
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => Some('_'),
            c => Some(c),
        })
        .collect();
    name = name
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    if name.is_empty() {
        return "attachment".to_string();
    }
    let stem_upper = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(stem_upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem_upper.starts_with("COM") || stem_upper.starts_with("LPT")) && {
            // "COM" and "LPT" are ASCII, so byte 3 starts the next character.
            let rest = &stem_upper[3..];
            rest.chars().count() == 1
                && rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || "¹²³".contains(c))
        });
    if reserved {
        name.insert(0, '_');
    }
    shorten(&name)
}

/// `name` cut to [`NAME_MAX_CHARS`] characters and [`NAME_MAX_BYTES`] bytes, keeping a short
/// extension.
fn shorten(name: &str) -> String {
    let fits = |s: &str| s.chars().count() <= NAME_MAX_CHARS && s.len() <= NAME_MAX_BYTES;
    if fits(name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().count() <= 10 => {
            (stem, format!(".{ext}"))
        }
        _ => (name, String::new()),
    };
    let mut out = String::new();
    for c in stem.chars() {
        let candidate_chars = out.chars().count() + 1 + ext.chars().count();
        let candidate_bytes = out.len() + c.len_utf8() + ext.len();
        if candidate_chars > NAME_MAX_CHARS || candidate_bytes > NAME_MAX_BYTES {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end_matches(['.', ' ']).to_string();
    format!("{out}{ext}")
}

/// The lower-case extension of a (sanitised) name, if it has one.
pub fn extension_of(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_lowercase())
}

// ---------------------------------------------------------------------------------------------
// Sizes

/// `bytes` as a clerk reads it: `35 MB`, `20.5 MB`, `0.3 MB`.
pub fn mb(bytes: u64) -> String {
    let tenths = (bytes * 10 + MIB / 2) / MIB;
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

// ---------------------------------------------------------------------------------------------
// Content

/// What the file behind `file` (already fully written, positioned anywhere) is, judged by its
/// bytes: `head` is its first bytes. ZIP and OLE2 containers are opened (their directory only, no
/// member is unpacked beyond a few bytes) to tell a Word file from an installer; everything else
/// is judged by `infer`'s magic numbers.
pub fn sniff(head: &[u8], file: &mut File) -> Content {
    if head.starts_with(b"PK\x03\x04") {
        return sniff_zip(file);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return sniff_ole2(file);
    }
    let Some(found) = infer::get(head) else {
        return Content::Other("无法识别的内容".into(), "content of no known type".into());
    };
    let kind = match found.mime_type() {
        "application/pdf" => &PDF,
        "image/png" => &PNG,
        "image/jpeg" => &JPEG,
        "image/gif" => &GIF,
        "image/webp" => &WEBP,
        "image/bmp" => &BMP,
        "image/tiff" => &TIFF,
        mime => {
            let ext = found.extension();
            return if found.matcher_type() == infer::MatcherType::App {
                Content::Other(
                    format!("可执行程序（{ext}，{mime}）"),
                    format!("an executable program ({ext}, {mime})"),
                )
            } else {
                Content::Other(
                    format!("{ext} 文件（{mime}）"),
                    format!("a {ext} file ({mime})"),
                )
            };
        }
    };
    Content::Accepted(kind)
}

/// An OOXML package (a ZIP with `[Content_Types].xml` and its main part), an OpenDocument file (a
/// ZIP whose `mimetype` member names its type), or some other ZIP.
fn sniff_zip(file: &mut File) -> Content {
    let other_zip = || Content::Other("ZIP 压缩包".into(), "a ZIP archive".into());
    if file.rewind().is_err() {
        return other_zip();
    }
    let Ok(mut zip) = zip::ZipArchive::new(&mut *file) else {
        return Content::Other("损坏的 ZIP 文件".into(), "a damaged ZIP file".into());
    };
    let has = |zip: &zip::ZipArchive<&mut File>, name: &str| zip.index_for_name(name).is_some();
    if has(&zip, "[Content_Types].xml") {
        if zip
            .file_names()
            .any(|n| n.is_ok_and(|n| n.ends_with("vbaProject.bin")))
        {
            return Content::Other(
                "带宏的 Office 文件（含 VBA 宏）".into(),
                "an Office file with VBA macros".into(),
            );
        }
        for (part, kind) in [
            ("word/document.xml", &DOCX),
            ("xl/workbook.xml", &XLSX),
            ("ppt/presentation.xml", &PPTX),
        ] {
            if has(&zip, part) {
                return Content::Accepted(kind);
            }
        }
        return Content::Other(
            "其他 Office Open XML 文件".into(),
            "another Office Open XML package".into(),
        );
    }
    if let Ok(member) = zip.by_name("mimetype") {
        let mut mime = String::new();
        // The member is a short line; a larger one is not an OpenDocument file.
        if member.take(100).read_to_string(&mut mime).is_ok() {
            for (name, kind) in [
                ("application/vnd.oasis.opendocument.text", &ODT),
                ("application/vnd.oasis.opendocument.spreadsheet", &ODS),
                ("application/vnd.oasis.opendocument.presentation", &ODP),
            ] {
                if mime.trim() == name {
                    return Content::Accepted(kind);
                }
            }
        }
    }
    other_zip()
}

/// A legacy Office file (an OLE2 compound file with the stream its program writes) or some other
/// compound file (an `.msi` installer, say).
fn sniff_ole2(file: &mut File) -> Content {
    let other = || {
        Content::Other(
            "其他 OLE2 复合文件（例如 .msi 安装程序）".into(),
            "another OLE2 compound file (an .msi installer, for example)".into(),
        )
    };
    if file.rewind().is_err() {
        return other();
    }
    let Ok(cfb) = cfb::CompoundFile::open(&mut *file) else {
        return Content::Other("损坏的 OLE2 文件".into(), "a damaged OLE2 file".into());
    };
    for (stream, kind) in [
        ("/WordDocument", &DOC),
        ("/Workbook", &XLS),
        ("/Book", &XLS),
        ("/PowerPoint Document", &PPT),
    ] {
        if cfb.is_stream(stream) {
            return Content::Accepted(kind);
        }
    }
    other()
}

// ---------------------------------------------------------------------------------------------
// One file

/// A file that passed every check, copied to a temporary file in the attachment folder.
#[derive(Debug)]
pub struct Checked {
    pub name: String,
    pub extension: String,
    pub kind: &'static Kind,
    pub sha256: String,
    pub size: u64,
    pub temp: tempfile::NamedTempFile,
}

fn refused(name: &str, zh: String, en: String) -> ApiError {
    Msg::AttachmentRefused {
        name: name.to_string(),
        zh,
        en,
    }
    .err()
}

fn accepted_list() -> String {
    accepted_extensions()
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks the file at `src` and copies it into a temporary file in `dir`: its name (sanitised)
/// must carry an accepted extension, its size (from its metadata, and again while it is read: a
/// file that grows is not read past the limit) must not exceed `max_bytes`, and its content must
/// be of the type its extension says.
pub fn check(src: &Path, dir: &Path, max_bytes: u64) -> Result<Checked> {
    let raw_name = src
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = sanitise_name(&raw_name);
    let Some(extension) = extension_of(&name).filter(|e| kind_of_extension(e).is_some()) else {
        let (shown_zh, shown_en) = match extension_of(&name) {
            Some(e) => (format!(".{e}"), format!(".{e}")),
            None => ("无扩展名".to_string(), "no extension".to_string()),
        };
        return Err(refused(
            &name,
            format!(
                "的类型（{shown_zh}）不在可添加的范围内。可添加：{}。请另存为 PDF 或图片后再添加",
                accepted_list()
            ),
            format!(
                "is of a type ({shown_en}) that cannot be attached; accepted: {}; save it as a PDF or an image and attach that",
                accepted_list()
            ),
        ));
    };
    let unreadable = |e: std::io::Error| {
        Msg::AttachmentUnreadable {
            name: name.to_string(),
            src: src.to_path_buf(),
            error: e.to_string(),
        }
        .err()
    };
    let not_a_file = || {
        refused(
            &name,
            "不是普通文件（可能是文件夹、管道或设备）。请选择文件本身".into(),
            "is not a regular file (a folder, a pipe or a device?); choose the file itself".into(),
        )
    };
    // Looked at before it is opened: opening a named pipe would wait for a writer forever.
    if !std::fs::metadata(src).map_err(unreadable)?.is_file() {
        return Err(not_a_file());
    }
    let file = File::open(src).map_err(unreadable)?;
    // And again on what was opened, in case the path was swapped in between.
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    let too_big = |size: String| {
        refused(
            &name,
            format!(
                "有 {size}，超过上限 {}。请压缩或拆分后再添加（扫描件可降低分辨率），或在设置中调高附件上限",
                mb(max_bytes)
            ),
            format!(
                "is {size}, over the {} limit; compress or split it (scan at a lower resolution), or raise the attachment limit in the settings",
                mb(max_bytes)
            ),
        )
    };
    if meta.len() > max_bytes {
        return Err(too_big(mb(meta.len())));
    }

    let mut temp = tempfile::Builder::new()
        .prefix(".incoming-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| crate::paths::dir_error(dir, e))?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(HEAD_BYTES);
    let mut size: u64 = 0;
    // One byte past the limit is enough to know the file grew beyond it.
    let mut reader = file.take(max_bytes + 1);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(unreadable(e)),
        };
        size += n as u64;
        if size > max_bytes {
            return Err(refused(
                &name,
                format!(
                    "在读取时变大，超过了上限 {}（可能仍在被写入）。请等写入完成后再添加，或压缩、拆分后再添加，或在设置中调高附件上限",
                    mb(max_bytes)
                ),
                format!(
                    "grew past the {} limit while it was read (is something still writing it?); attach it once it is complete, compress or split it, or raise the attachment limit in the settings",
                    mb(max_bytes)
                ),
            ));
        }
        let chunk = &buf[..n];
        hasher.update(chunk);
        if head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - head.len()).min(n);
            head.extend_from_slice(&chunk[..take]);
        }
        temp.write_all(chunk)
            .map_err(|e| crate::paths::dir_error(dir, e))?;
    }
    temp.flush().map_err(|e| crate::paths::dir_error(dir, e))?;

    let claimed = kind_of_extension(&extension).expect("checked above");
    match sniff(&head, temp.as_file_mut()) {
        Content::Accepted(kind) if std::ptr::eq(kind, claimed) => Ok(Checked {
            name,
            extension,
            kind,
            sha256: hex::encode(hasher.finalize()),
            size,
            temp,
        }),
        Content::Accepted(kind) => Err(refused(
            &name,
            format!(
                "名为 .{extension}，内容却是 {}。请确认选对了文件；如果文件本身没问题，请把扩展名改为 .{} 后再添加",
                kind.label, kind.extensions[0]
            ),
            format!(
                "is named .{extension} but its content is {}; check that this is the right file, and if it is, rename it to .{} and attach it again",
                kind.label, kind.extensions[0]
            ),
        )),
        Content::Other(zh, en) => Err(refused(
            &name,
            format!(
                "名为 .{extension}，内容却是{zh}，不是 {}。这样的文件不能作为附件；请向对方索取真正的 {} 文件",
                claimed.label, claimed.label
            ),
            format!(
                "is named .{extension} but its content is {en}, not {}; such a file cannot be attached; ask the sender for a real {} file",
                claimed.label, claimed.label
            ),
        )),
    }
}

/// [`sniff`] on content in memory, for tests.
#[cfg(test)]
pub(crate) fn sniff_bytes(bytes: &[u8]) -> Content {
    let mut temp = tempfile::tempfile().unwrap();
    temp.write_all(bytes).unwrap();
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    sniff(head, &mut temp)
}

#[cfg(test)]
mod tests;

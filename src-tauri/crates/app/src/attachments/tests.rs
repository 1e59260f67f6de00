//! Attachments on real files written here: types judged by content, sizes by metadata and while
//! reading, names made safe, and all-or-nothing per call.

use std::io::Write;
use std::path::Path;

use super::*;
use crate::*;

use crate::testkit::{assert_contains, temp_app as app, write_file as write};

fn product(app: &App) -> i64 {
    crate::testkit::catalogued_product(app, "家用燃气灶", "").id
}

const PDF_BYTES: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG_BYTES: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
const JPEG_BYTES: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";

/// A ZIP with the given members, the first stored (as ODF wants its `mimetype`).
fn zip_bytes(members: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for (i, (name, text)) in members.iter().enumerate() {
            let method = if i == 0 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file(*name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// An OLE2 compound file with one stream of the given name.
fn ole2_bytes(stream: &str) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    cfb.create_stream(stream)
        .unwrap()
        .write_all(&[0u8; 4096])
        .unwrap();
    cfb.flush().unwrap();
    cfb.into_inner().into_inner()
}

/// The start of a real program: the running test executable.
fn program_bytes() -> Vec<u8> {
    let exe = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    exe[..exe.len().min(64 * 1024)].to_vec()
}

fn attachment_files(app: &App) -> Vec<String> {
    match std::fs::read_dir(app.attachment_dir()) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        }
        Err(_) => Vec::new(),
    }
}

fn add(app: &App, p: i64, paths: &[&Path]) -> crate::Result<Vec<Attachment>> {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    app.add_attachments(RecordKind::Product, p, &paths, "certificate")
}

#[test]
fn names_lose_folders_controls_bidi_overrides_and_device_names() {
    let long_stem = "检".repeat(150);
    let long = format!("{long_stem}.pdf");
    let cases: &[(&str, &str)] = &[
        ("检验报告.pdf", "检验报告.pdf"),
        ("..\\..\\Windows\\System32\\报告.pdf", "报告.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("发票\u{202E}fdp.exe", "发票fdp.exe"),
        ("a\u{2066}b\u{2069}c\u{202A}.pdf", "abc.pdf"),
        ("tab\there\u{7}\u{1b}[31m.png", "tabhere[31m.png"),
        ("zero\u{200B}width\u{FEFF}.jpg", "zerowidth.jpg"),
        ("a<b>:c|d?e*\"f.pdf", "a_b__c_d_e__f.pdf"),
        ("report.pdf. . ", "report.pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        ("CON", "_CON"),
        ("con.pdf", "_con.pdf"),
        ("NUL .pdf", "_NUL .pdf"),
        ("COM1.jpg", "_COM1.jpg"),
        ("lpt9", "_lpt9"),
        ("COM¹.pdf", "_COM¹.pdf"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("COM10.pdf", "COM10.pdf"),
        ("..", "attachment"),
        ("..\\..\\", "attachment"),
        ("\u{202E}", "attachment"),
    ];
    for (raw, want) in cases {
        assert_eq!(sanitise_name(raw), *want, "{raw:?}");
    }
    let cut = sanitise_name(&long);
    assert!(cut.ends_with(".pdf"), "the extension is kept: {cut}");
    assert!(cut.chars().count() <= 100 && cut.len() <= 240, "{cut}");
    assert_eq!(cut, format!("{}.pdf", "检".repeat(78)));
}

#[test]
fn content_decides_the_type_whatever_the_name() {
    let cases: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
        ("pdf", PDF_BYTES.to_vec(), Some("application/pdf")),
        ("png", PNG_BYTES.to_vec(), Some("image/png")),
        ("jpeg", JPEG_BYTES.to_vec(), Some("image/jpeg")),
        (
            "gif",
            b"GIF89a\x01\0\x01\0\0\0\0;".to_vec(),
            Some("image/gif"),
        ),
        (
            "webp",
            b"RIFF\x1a\0\0\0WEBPVP8 \0\0\0\0".to_vec(),
            Some("image/webp"),
        ),
        (
            "bmp",
            b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0".to_vec(),
            Some("image/bmp"),
        ),
        (
            "tiff",
            b"II*\0\x08\0\0\0\0\0\0\0".to_vec(),
            Some("image/tiff"),
        ),
        (
            "docx",
            zip_bytes(&[
                ("[Content_Types].xml", "<Types/>"),
                ("word/document.xml", "<w:document/>"),
            ]),
            Some(DOCX.media_type),
        ),
        (
            "xlsx",
            zip_bytes(&[
                ("[Content_Types].xml", "<Types/>"),
                ("xl/workbook.xml", "<workbook/>"),
            ]),
            Some(XLSX.media_type),
        ),
        (
            "docx with macros",
            zip_bytes(&[
                ("[Content_Types].xml", "<Types/>"),
                ("word/document.xml", "<w:document/>"),
                ("word/vbaProject.bin", "macro"),
            ]),
            None,
        ),
        (
            "ods",
            zip_bytes(&[
                ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                ("content.xml", "<office:document-content/>"),
            ]),
            Some(ODS.media_type),
        ),
        ("plain zip", zip_bytes(&[("readme.txt", "hello")]), None),
        ("doc", ole2_bytes("/WordDocument"), Some(DOC.media_type)),
        ("xls", ole2_bytes("/Workbook"), Some(XLS.media_type)),
        ("msi-like", ole2_bytes("/SummaryInformationX"), None),
        ("program", program_bytes(), None),
        ("text", b"just some text, no magic".to_vec(), None),
    ];
    for (what, bytes, want) in cases {
        let got = match sniff_bytes(&bytes) {
            Content::Accepted(kind) => Some(kind.media_type),
            Content::Other(..) => None,
        };
        assert_eq!(got, want, "{what}");
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write(0, 0, "批号").unwrap();
    let xlsx = book.save_to_buffer().unwrap();
    assert_eq!(
        sniff_bytes(&xlsx),
        Content::Accepted(&XLSX),
        "a workbook written by a real writer"
    );
}

#[test]
fn a_21_mb_file_is_refused_before_it_is_read_and_accepted_once_the_limit_is_raised() {
    let (dir, app) = app();
    let p = product(&app);
    let path = dir.path().join("扫描件.pdf");
    {
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(PDF_BYTES).unwrap();
        // Sparse: the size is what the metadata says, the disk holds a few bytes.
        f.set_len(21 * 1024 * 1024).unwrap();
    }
    assert_eq!(app.attachment_limit().unwrap(), 20 * 1024 * 1024);
    let err = add(&app, p, &[&path]).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(err.field.as_deref(), Some("attachments"));
    assert_contains(&err.message_zh, "附件 扫描件.pdf 有 21 MB，超过上限 20 MB");
    assert_contains(&err.message_en, "is 21 MB, over the 20 MB limit");
    assert!(
        attachment_files(&app).is_empty(),
        "nothing copied: {:?}",
        attachment_files(&app)
    );

    let err = app.set_attachment_limit(2048 * 1024 * 1024).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("attachments.maxBytes"));
    app.set_attachment_limit(30 * 1024 * 1024).unwrap();
    assert_eq!(app.attachment_limit().unwrap(), 30 * 1024 * 1024);
    let added = add(&app, p, &[&path]).unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].size_bytes, 21 * 1024 * 1024);
    assert_eq!(added[0].media_type, "application/pdf");
    assert!(Path::new(&added[0].path).is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_reads_longer_than_its_metadata_is_not_read_past_the_limit() {
    // /proc files say they are empty and then deliver pages of text: the same as a file that
    // grows between the size check and the read.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("grows.pdf");
    std::os::unix::fs::symlink("/proc/self/maps", &link).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let err = check(&link, &out, 64).unwrap_err();
    assert_contains(&err.message_zh, "在读取时变大，超过了上限");
    assert_contains(&err.message_en, "grew past the");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "the partial copy is gone"
    );
}

#[test]
fn a_program_renamed_pdf_is_refused_and_says_what_it_really_is() {
    let (dir, app) = app();
    let p = product(&app);
    let fake = write(dir.path(), "合格证.pdf", &program_bytes());
    let err = add(&app, p, &[&fake]).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_contains(
        &err.message_zh,
        "附件 合格证.pdf 名为 .pdf，内容却是可执行程序",
    );
    assert_contains(&err.message_en, "its content is an executable program");

    let png_as_jpg = write(dir.path(), "照片.jpg", PNG_BYTES);
    let err = add(&app, p, &[&png_as_jpg]).unwrap_err();
    assert_contains(&err.message_zh, "内容却是 PNG");
    assert_contains(&err.message_zh, "改为 .png");

    let installer = write(dir.path(), "说明.doc", &ole2_bytes("/SummaryInformationX"));
    let err = add(&app, p, &[&installer]).unwrap_err();
    assert_contains(&err.message_zh, "OLE2");
    assert!(attachment_files(&app).is_empty());
}

#[test]
fn a_spoofed_name_is_stored_without_its_bidi_override_or_folders() {
    let (dir, app) = app();
    let p = product(&app);
    // On Linux `\` is an ordinary character, so this is one file name, as a Windows share or a
    // ZIP from another person might deliver it.
    let sneaky = write(
        dir.path(),
        "..\\..\\Windows\\检验报告\u{202E}fdp.pdf",
        PDF_BYTES,
    );
    let added = add(&app, p, &[&sneaky]).unwrap();
    assert_eq!(added[0].file_name, "检验报告fdp.pdf");
    let stored = Path::new(&added[0].path);
    assert_eq!(stored.parent().unwrap(), app.attachment_dir());
    assert!(
        stored
            .file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with(".pdf")
    );

    let exe = write(dir.path(), "发票\u{202E}fdp.exe", &program_bytes());
    let err = add(&app, p, &[&exe]).unwrap_err();
    assert!(
        err.message_zh
            .starts_with("附件 发票fdp.exe 的类型（.exe）不在可添加的范围内"),
        "the refusal shows the name without the override: {}",
        err.message_zh
    );
    assert!(!err.message_zh.contains('\u{202E}') && !err.message_en.contains('\u{202E}'));
}

#[test]
fn one_refused_file_attaches_none_of_the_files_chosen_with_it() {
    let (dir, app) = app();
    let p = product(&app);
    let good = write(dir.path(), "检验报告.pdf", PDF_BYTES);
    let photo = write(dir.path(), "现场.JPG", JPEG_BYTES);
    let bad = write(dir.path(), "setup.pdf", &program_bytes());
    let err = add(&app, p, &[&good, &photo, &bad]).unwrap_err();
    assert_contains(&err.message_zh, "setup.pdf");
    assert_contains(&err.message_zh, "本次选择的附件均未添加");
    assert!(
        attachment_files(&app).is_empty(),
        "{:?}",
        attachment_files(&app)
    );
    let listed = app
        .db()
        .conn()
        .query_row("SELECT count(*) FROM attachment", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap();
    assert_eq!(listed, 0);

    let missing = dir.path().join("不存在.pdf");
    let err = add(&app, p, &[&good, &missing]).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnreadableFile);
    assert!(attachment_files(&app).is_empty());

    let added = add(&app, p, &[&good, &photo]).unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(added[1].file_name, "现场.JPG");
    assert_eq!(added[1].media_type, "image/jpeg");
    let files = attachment_files(&app);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".jpg")), "{files:?}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_folder_is_refused_without_waiting_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let pipe = dir.path().join("report.pdf");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let folder = dir.path().join("scans.pdf");
    std::fs::create_dir(&folder).unwrap();
    for path in [&pipe, &folder] {
        let err = check(path, &out, DEFAULT_MAX_BYTES).unwrap_err();
        assert_contains(&err.message_zh, "不是普通文件");
    }
}

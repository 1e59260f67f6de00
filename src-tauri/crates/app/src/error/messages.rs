//! The catalogue of what the app layer tells a person when it refuses or fails: one [`Msg`]
//! variant per situation, each with its [`ErrorCode`], its form field when there is one, and its
//! Chinese and English text side by side.
//!
//! Every text follows the message rule (`codes::message::rule_breaks`): both languages present,
//! no unfilled `{…}`, no term said twice in a row, no stray English `or/and/must/should` in the
//! Chinese; and it says what is wrong, where, and how to fix it. The test at the bottom checks
//! one example of every variant against that rule.
//!
//! Raise one with [`Msg::err`]: it is `#[track_caller]`, so the log names the line that raised
//! the error, not this file.

use std::path::PathBuf;

use crate::error::{ApiError, ErrorCode};

/// One situation the app refuses or fails in. Parameters are what the text quotes.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(test, derive(strum::IntoStaticStr, strum::VariantNames))]
pub enum Msg {
    // ----- texts written elsewhere -----
    /// A text another crate already wrote in both languages (a reader's, a printer's, a rule
    /// check's), passed on with the code and field the app gives it.
    Relayed {
        code: ErrorCode,
        field: Option<String>,
        zh: String,
        en: String,
    },

    // ----- files, folders and the database -----
    CannotWrite {
        path: PathBuf,
        error: String,
    },
    CannotRead {
        path: PathBuf,
        error: String,
    },
    CannotReadBack {
        path: PathBuf,
        error: String,
    },
    Storage {
        error: String,
    },
    ProductHasCodes,
    // ----- catalogues (目录与数据) -----
    CatalogueTooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    CatalogueNotUtf8 {
        path: PathBuf,
    },
    CatalogueInvalid {
        path: PathBuf,
        count: usize,
        first_zh: String,
        first_en: String,
    },
    CatalogueUnknown {
        name: String,
        known: String,
    },
    DataDirUncreatable {
        dir: PathBuf,
        error: String,
    },
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    NotADatabase {
        path: PathBuf,
        reason: String,
    },
    NotABackup {
        src: PathBuf,
        reason: String,
    },
    BackupMissing {
        src: PathBuf,
    },
    BackupSchemaDiffers {
        src: PathBuf,
        schema_version: i64,
        differences: usize,
        zh: String,
        en: String,
    },
    BackupArchiveUnverified {
        src: PathBuf,
        zh: String,
        en: String,
    },
    LogFileUncreatable {
        dir: PathBuf,
        error: String,
    },
    CredentialFileUnwritable {
        path: PathBuf,
        error: String,
    },
    SecretUnsealable {
        error: String,
    },
    GeneratorTargetExists {
        path: PathBuf,
    },
    FontUnreadable {
        file: PathBuf,
        error: String,
    },
    NoChineseFont,

    // ----- the platform and submission -----
    ArchiveAnchorUnavailable {
        code: ErrorCode,
        zh: String,
        en: String,
    },
    ArchiveEntryNotFound {
        id: i64,
    },
    AppKeyFirst,
    PlatformAddressUnusable {
        error: String,
    },
    PlatformAddressNotHttps {
        error: String,
    },
    PlatformCredentialsMissing,
    SubmissionRunning,
    SubmissionLeaseBusy {
        restoring: bool,
        program: String,
        pid: i64,
        host: String,
        since: String,
        lapses: String,
    },
    SubmissionLeaseLost,
    OutboxRecordNotFound {
        id: i64,
    },
    CorrectionOnlyAccepted,
    CorrectionOnlyCurrent {
        id: i64,
        current: i64,
        state_zh: String,
        state_en: String,
    },
    RecordNotCanonical {
        error: String,
    },
    PracticePlatformDown {
        error: String,
    },

    // ----- records -----
    RecordSubmitted {
        at: String,
    },
    AttachmentLimitOutOfRange {
        limit: String,
        min: String,
        max: String,
    },
    PartiesTakeNoAttachments,
    AttachmentRefused {
        name: String,
        zh: String,
        en: String,
    },
    AttachmentUnreadable {
        name: String,
        src: PathBuf,
        error: String,
    },
    LotPatternInvalid {
        pattern: String,
        zh: String,
        en: String,
    },
    LotNumbersUsedUp,
    DeliveryNumbersUsedUp,
    SupplierRequired,
    CustomerRequired,
    NotFoundById {
        zh: String,
        en: String,
        id: i64,
    },
    NoCompanyPrefix,
    ItemReferencesUsedUp {
        prefix: String,
    },
    GtinUnbuildable {
        zh: String,
        en: String,
    },
    SettingUnsaved {
        error: String,
    },
    EnterpriseNotReadBack,
    DateRangeInvalid {
        from: String,
        to: String,
    },

    // ----- codes -----
    UnknownTraceCode {
        text: String,
    },
    UnknownGtin {
        gtin14: String,
    },
    ProductCodesIssued {
        name: String,
        issued: i64,
    },
    ProductNotFoundByRef {
        r: String,
    },
    BatchLotNotFound {
        lot: String,
    },
    BatchNotReadBack,
    CodeListIsWorkbook {
        path: PathBuf,
    },
    CodeListNotUtf8 {
        path: PathBuf,
    },

    // ----- codes, continued: coding and labels -----
    CodeInvalid {
        field: String,
    },
    NoRandomBytes {
        error: String,
    },
    NoRandomBytesForPreview {
        error: String,
    },
    BatchOfOtherProduct {
        lot: String,
        product: String,
    },
    BatchRequired {
        name: String,
        granularity_zh: String,
        granularity_en: String,
    },
    ProductGtinWrong {
        gtin: String,
        zh: String,
        en: String,
    },
    ProductWithoutGtin {
        name: String,
    },
    OnlyGs1Composed,
    TraceCodeRequired,
    CodeNeedsLot {
        name: String,
    },
    CodeNeedsSerial {
        name: String,
    },
    LotSerialMismatch {
        lot: String,
        serial: String,
        batch_lot: String,
    },
    ReasonRequired {
        reprint: bool,
    },
    CodeAlreadyVoid {
        reprint: bool,
        when: String,
        why: String,
    },
    CountOutOfRange {
        max: i64,
        count: i64,
    },
    SerialPatternExhausted {
        zh: String,
        en: String,
        issued: i64,
    },
    RandomSerialsNearlyExhausted {
        len: i64,
    },
    RandomSerialsUsedUp {
        len: i64,
    },
    CodeTaken {
        code: String,
        other_id: i64,
    },
    PlatformCodesNotImported {
        scheme_zh: String,
        scheme_en: String,
        for_batch: bool,
    },
    TooFewImportedCodes {
        available: i64,
        count: i64,
    },
    Gs1CodesNotImported,
    SerialRulesOverlap {
        ours_zh: String,
        theirs_zh: String,
        ours_en: String,
        theirs_en: String,
    },
    SeriesKeyLost {
        series_id: i64,
    },
    DlStemInvalid {
        stem: String,
    },
    RandomLengthOutOfRange {
        length: i64,
    },
    ShelfLifeOutOfRange,
    LotNumberInvalid {
        lot: String,
    },
    LabelNoGs1Data,
    Ean13OnlyGtin,
    Gs1NeedsGs1_128,
    EcodeNeedsQrOrCode128,
    NotATraceCode,

    // ----- trace and recall -----
    RecallStart,
    RecallLotNotFound {
        lot: String,
    },
    TraceStart,
    TraceQueryEmpty,
    TraceQueryNotFound {
        text: String,
    },

    // ----- import -----
    ImportSessionEnded,
    ImportCancelled,
    ImportSheetNotChosen,
    ImportSheetNotRead,
    ImportNothingToImport,
    ImportRowsInvalid {
        rows: i64,
    },
    ImportDatabaseChanged {
        zh: String,
        en: String,
    },
    ImportRunNotFound {
        run_id: i64,
    },
    ImportRunMissing,
    ImportRunUndone {
        run_id: i64,
        at: String,
    },
    ImportRunSubmitted {
        run_id: i64,
        count: i64,
        table: String,
        table_zh: String,
    },
    ImportRunInUse {
        run_id: i64,
        table: String,
        table_zh: String,
        detail: String,
    },
    ImportUnknownField {
        kind_zh: String,
        kind_en: String,
        key: String,
        fields_zh: String,
        fields_en: String,
    },
    ImportPlanDangling,
    ImportBlankHeader {
        n: i64,
    },
    ImportBadMapping {
        error: String,
    },
    ImportNoHeader,
    ImportNotADataRow {
        row: i64,
    },
    ImportNoHeaderForMapping {
        sheet: String,
    },
    ImportNoSuchColumn {
        header_row: i64,
        wanted: String,
        headers_zh: String,
        headers_en: String,
    },
    ImportRowNotData {
        row: i64,
    },
    ImportRowEmpty {
        row: i64,
    },

    // ----- labels and printers -----
    NothingToPrint,
    TooManyLabels {
        max: usize,
    },
    PrinterProfilesUnreadable {
        error: String,
    },
    PrinterProfilesUnsaved {
        error: String,
    },
    PrinterProfileUnknown {
        name: String,
        names_zh: String,
        names_en: String,
    },
    TooManyPrinterProfiles {
        max: usize,
    },
    PrinterProfileNotSaved {
        name: String,
    },

    // ----- updates -----
    UpdateDuringSubmission {
        zh: String,
        en: String,
    },
    UpdateDuringImport,
    UpdateServerUnreachable {
        detail: String,
    },
    UpdateManifestUnusable {
        detail: String,
    },
    UpdateSignatureInvalid {
        detail: String,
    },
    UpdateInstallFailed {
        detail: String,
    },
    UpdateNotInstalledFromPackage,
    UpdateNothingDownloaded,
}

/// A variant's code, field and texts.
struct Text {
    code: ErrorCode,
    field: Option<String>,
    zh: String,
    en: String,
}

fn text(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        code,
        field: None,
        zh: zh.into(),
        en: en.into(),
    }
}

impl Text {
    fn at(mut self, field: &str) -> Text {
        self.field = Some(field.to_owned());
        self
    }
}

impl Msg {
    /// The error for this situation. Logs the caller's line (see [`ApiError::new`]).
    #[track_caller]
    pub fn err(self) -> ApiError {
        let t = self.text();
        let mut e = ApiError::new(t.code, t.zh, t.en);
        e.field = t.field;
        e
    }

    fn text(self) -> Text {
        use ErrorCode::*;
        match self {
            Msg::Relayed { code, field, zh, en } => Text { code, field, zh, en },

            Msg::CannotWrite { path, error } => text(
                UnreadableFile,
                format!(
                    "无法写入 {}：{error}。请检查文件夹是否存在、是否有写入权限、文件是否正被 Excel/WPS 打开",
                    path.display()
                ),
                format!(
                    "cannot write {}: {error}; check the folder exists, is writable, and the file is not open in Excel/WPS",
                    path.display()
                ),
            ),
            Msg::CannotRead { path, error } => text(
                UnreadableFile,
                format!("无法读取 {}：{error}", path.display()),
                format!("cannot read {}: {error}", path.display()),
            ),
            Msg::CatalogueTooLarge { path, bytes, limit } => text(
                InvalidInput,
                format!(
                    "目录文件 {} 有 {bytes} 字节，超过上限 {limit} 字节：请确认选的是目录文件",
                    path.display()
                ),
                format!(
                    "the catalogue file {} has {bytes} bytes, over the limit of {limit}: check it is a catalogue file",
                    path.display()
                ),
            ),
            Msg::CatalogueNotUtf8 { path } => text(
                InvalidInput,
                format!(
                    "目录文件 {} 不是 UTF-8 编码的文本：请用文本编辑器另存为 UTF-8",
                    path.display()
                ),
                format!(
                    "the catalogue file {} is not UTF-8 text: save it as UTF-8 in a text editor",
                    path.display()
                ),
            ),
            Msg::CatalogueInvalid {
                path,
                count,
                first_zh,
                first_en,
            } => text(
                InvalidInput,
                format!(
                    "目录文件 {} 未加载，共 {count} 处问题，第一处：{first_zh}。请改正后再加载",
                    path.display()
                ),
                format!(
                    "the catalogue file {} was not loaded, {count} problem(s), the first: {first_en}; fix the file and load it again",
                    path.display()
                ),
            ),
            Msg::CatalogueUnknown { name, known } => text(
                InvalidInput,
                format!("没有名为“{name}”的目录，可选：{known}"),
                format!("there is no catalogue named {name:?}; the catalogues are: {known}"),
            ),
            Msg::CannotReadBack { path, error } => text(
                UnreadableFile,
                format!("无法读取刚写入的文件 {}：{error}", path.display()),
                format!("cannot read back {}: {error}", path.display()),
            ),
            Msg::Storage { error } => text(
                Storage,
                format!(
                    "数据库操作失败：{error}。数据未被修改，请重试；如反复出现，请在“设置”中执行数据库检查"
                ),
                format!(
                    "Database operation failed: {error}. Nothing was changed; retry, or run the database check in Settings"
                ),
            ),
            Msg::ProductHasCodes => text(
                InvalidState,
                "此产品已有追溯码，赋码方案和粒度不能再改：已印出的码会与产品对不上。如确需更改，请新建一个产品",
                "this product already has trace codes, so its scheme and granularity can no longer change; create a new product instead",
            )
            .at("granularity"),
            Msg::DataDirUncreatable { dir, error } => text(
                UnreadableFile,
                format!(
                    "无法创建数据目录 {}：{error}。请检查磁盘空间和写入权限",
                    dir.display()
                ),
                format!(
                    "cannot create the data directory {}: {error}; check disk space and permissions",
                    dir.display()
                ),
            ),
            Msg::DatabaseTooNew { path, found, supported } => text(
                InvalidState,
                format!(
                    "数据库 {} 由更新版本的追溯通创建（结构版本 {found}，本程序支持到 {supported}），请升级追溯通后再打开",
                    path.display()
                ),
                format!(
                    "database {} was written by a newer tracedesk (schema {found}, this build supports {supported}); upgrade tracedesk",
                    path.display()
                ),
            ),
            Msg::NotADatabase { path, reason } => text(
                UnreadableFile,
                format!("{} 不是可用的追溯通数据库：{reason}", path.display()),
                format!("{} is not a usable tracedesk database: {reason}", path.display()),
            ),
            Msg::NotABackup { src, reason } => text(
                UnreadableFile,
                format!(
                    "无法从 {} 恢复：该文件不是完好的追溯通备份（{reason}）。当前数据未被修改",
                    src.display()
                ),
                format!(
                    "cannot restore from {}: not a healthy tracedesk backup ({reason}); current data unchanged",
                    src.display()
                ),
            ),
            Msg::BackupMissing { src } => text(
                UnreadableFile,
                format!("找不到备份文件 {}，请确认路径", src.display()),
                format!("backup file {} not found; check the path", src.display()),
            ),
            Msg::BackupSchemaDiffers { src, schema_version, differences, zh, en } => text(
                InvalidState,
                format!(
                    "备份 {} 的数据库结构与第 {} 版不符，共 {} 处：{zh}。该备份可能被改动过：缺少的审计或保护触发器意味着恢复后的修改不再留痕或可被改写，多出的触发器会在每次保存时执行。当前数据未被修改；如确需恢复，请选择“仍然恢复”（命令行加 --force），此操作会记入恢复后数据库的审计日志",
                    src.display(),
                    schema_version,
                    differences
                ),
                format!(
                    "the database schema of backup {} does not match schema version {} ({} difference(s)): {en}; the backup may have been altered: a missing audit or guard trigger means changes after the restore leave no trace or can be rewritten, and an extra trigger runs at every save; current data unchanged; to restore it anyway, choose \"Restore anyway\" (--force on the command line), which the audit log of the restored database records",
                    src.display(),
                    schema_version,
                    differences
                ),
            )
            .at("restore.schema"),
            Msg::BackupArchiveUnverified { src, zh, en } => text(
                InvalidState,
                format!(
                    "备份 {} 的报送档案校验未通过：{zh}。该备份可能被改动过，恢复后报表和证据包将不可信。当前数据未被修改；如确需恢复，请选择“仍然恢复”（命令行加 --force），此操作会记入审计日志",
                    src.display()
                ),
                format!(
                    "the submission archive of backup {} does not verify: {en}; the backup may have been altered, and reports and evidence packs built from it could not be trusted; current data unchanged; to restore it anyway, choose \"Restore anyway\" (--force on the command line), which the audit log records",
                    src.display()
                ),
            )
            .at("restore.archive"),
            Msg::LogFileUncreatable { dir, error } => text(
                UnreadableFile,
                format!(
                    "无法创建日志文件（{}）：{error}。请检查磁盘空间和写入权限",
                    dir.display()
                ),
                format!(
                    "cannot create the log file in {}: {error}; check disk space and permissions",
                    dir.display()
                ),
            ),
            Msg::CredentialFileUnwritable { path, error } => text(
                UnreadableFile,
                format!("无法写入凭证文件 {}：{error}", path.display()),
                format!("cannot write the credential file {}: {error}", path.display()),
            ),
            Msg::SecretUnsealable { error } => text(
                UnreadableFile,
                format!("无法加密平台密钥：{error}"),
                format!("cannot seal the platform secret: {error}"),
            ),
            Msg::GeneratorTargetExists { path } => text(
                InvalidInput,
                format!(
                    "{} 已存在：生成器只写入新文件，请换一个文件名或先删除它",
                    path.display()
                ),
                format!(
                    "{} exists already; the generator only writes new files",
                    path.display()
                ),
            ),
            Msg::FontUnreadable { file, error } => text(
                UnreadableFile,
                format!("无法读取字体文件 {}：{error}", file.display()),
                format!("cannot read the font file {}: {error}", file.display()),
            ),
            Msg::NoChineseFont => text(
                InvalidState,
                "找不到含中文字形的字体，无法打印标签：请安装思源黑体/Noto Sans CJK（Debian/Ubuntu：sudo apt install fonts-noto-cjk），\
                 或用 --font 指定字体文件（如 C:\\Windows\\Fonts\\msyh.ttc）",
                "no font with Chinese glyphs was found, so labels cannot be printed: install Noto Sans CJK \
                 (Debian/Ubuntu: sudo apt install fonts-noto-cjk) or pass --font with a font file (e.g. C:\\Windows\\Fonts\\msyh.ttc)",
            ),

            Msg::ArchiveAnchorUnavailable { code, zh, en } => text(
                code,
                format!("无法取得平台的档案锚点：{zh}"),
                format!("cannot get the platform's archive anchor: {en}"),
            ),
            Msg::ArchiveEntryNotFound { id } => text(
                NotFound,
                format!("档案条目 {id} 不存在"),
                format!("archive entry {id} not found"),
            ),
            Msg::AppKeyFirst => text(
                InvalidInput,
                "请先在平台连接中填写 AppKey，再填写 AppSecret",
                "enter the App Key in the platform settings first, then the App Secret",
            ),
            Msg::PlatformAddressUnusable { error } => text(
                InvalidInput,
                format!("平台地址不可用：{error}"),
                format!("unusable platform address: {error}"),
            ),
            Msg::PlatformAddressNotHttps { error } => text(
                InvalidInput,
                format!("平台地址不可用：{error}。平台地址必须以 https:// 开头（仅本机地址可用 http://）"),
                format!("unusable platform address: {error}; it must start with https:// (http:// only on this computer)"),
            ),
            Msg::PlatformCredentialsMissing => text(
                InvalidState,
                "尚未保存平台的 AppKey 和 AppSecret：请用 tracedesk platform set --url 地址 --app-key AppKey 设置平台，再用 tracedesk secret 从标准输入保存 AppSecret（存入系统钥匙串）",
                "no platform App Key / App Secret saved yet: set the platform with `tracedesk platform set --url URL --app-key KEY`, then save the App Secret from standard input with `tracedesk secret` (kept in the OS keychain)",
            ),
            Msg::SubmissionRunning => text(
                InvalidState,
                "报送正在进行中，请等待其完成",
                "a submission is already running; wait for it to finish",
            ),
            Msg::SubmissionLeaseBusy { restoring, program, pid, host, since, lapses } => {
                let (what_zh, what_en) = if restoring {
                    ("正在恢复数据库", "restoring the database")
                } else {
                    ("正在报送", "submitting")
                };
                text(
                    InvalidState,
                    format!(
                        "另一个程序{what_zh}（{program}，进程号 {pid}，电脑 {host}，开始于 {since}）。请等待它完成后再试；如果该程序已经关闭，此锁将于 {lapses} 自动失效"
                    ),
                    format!(
                        "another program is {what_en} ({program}, PID {pid}, computer {host}, since {since}); wait for it to finish and try again; if it was closed, its lock lapses at {lapses}"
                    ),
                )
                .at("submission.lease")
            }
            Msg::SubmissionLeaseLost => text(
                InvalidState,
                "报送锁已被另一个程序接管（本程序停顿过久），本次报送已停止；已记录的结果不受影响，请稍后再次报送",
                "another program took over the submission lock (this one stalled too long); this run stopped; recorded outcomes stand; submit again later",
            )
            .at("submission.lease"),
            Msg::OutboxRecordNotFound { id } => text(
                NotFound,
                format!("报送记录 {id} 不存在"),
                format!("outbox record {id} not found"),
            ),
            Msg::CorrectionOnlyAccepted => text(
                InvalidState,
                "只有平台已接收的记录需要更正；被拒收或未报送的记录可直接修改后重新报送",
                "only records the platform accepted need a correction; a rejected or unsent record can simply be edited and submitted again",
            ),
            Msg::CorrectionOnlyCurrent { id, current, state_zh, state_en } => text(
                InvalidState,
                format!("报送记录 {id} 是旧版本，只能更正最新版本（报送记录 {current}，{state_zh}）"),
                format!(
                    "outbox record {id} is an older version; only the current one (outbox record {current}, {state_en}) can be corrected"
                ),
            ),
            Msg::RecordNotCanonical { error } => text(
                Internal,
                format!("记录无法规范化：{error}"),
                format!("record cannot be canonicalised: {error}"),
            ),
            Msg::PracticePlatformDown { error } => text(
                Internal,
                format!("练习平台无法启动：{error}"),
                format!("the practice platform cannot start: {error}"),
            ),

            Msg::RecordSubmitted { at } => text(
                InvalidState,
                format!("已报送的记录不能直接修改，请作为更正重新报送（报送时间 {at}）"),
                format!("a submitted record cannot be edited in place; submit the change as a correction (submitted at {at})"),
            ),
            Msg::AttachmentLimitOutOfRange { limit, min, max } => text(
                InvalidInput,
                format!("附件上限 {limit} 超出允许范围，请填写 {min} 到 {max} 之间的值"),
                format!("an attachment limit of {limit} is out of range; choose between {min} and {max}"),
            )
            .at("attachments.maxBytes"),
            Msg::PartiesTakeNoAttachments => text(
                InvalidInput,
                "往来单位不能添加附件",
                "parties take no attachments",
            ),
            Msg::AttachmentRefused { name, zh, en } => text(
                InvalidInput,
                format!("附件 {name} {zh}。本次选择的附件均未添加"),
                format!("attachment {name} {en}; none of the chosen files was attached"),
            )
            .at("attachments"),
            Msg::AttachmentUnreadable { name, src, error } => text(
                UnreadableFile,
                format!(
                    "无法读取附件 {name}（{}）：{error}。本次选择的附件均未添加",
                    src.display()
                ),
                format!(
                    "cannot read attachment {name} ({}): {error}; none of the chosen files was attached",
                    src.display()
                ),
            )
            .at("attachments"),
            Msg::LotPatternInvalid { pattern, zh, en } => text(
                InvalidState,
                format!("批号规则“{pattern}”无效：{zh}"),
                format!("the lot pattern {pattern:?} is invalid: {en}"),
            ),
            Msg::LotNumbersUsedUp => text(
                InvalidState,
                "当天的批号已用完，请手工输入批号",
                "no free lot number left for that day; type one",
            ),
            Msg::DeliveryNumbersUsedUp => text(
                InvalidState,
                "当天的送货单号已用完，请手工输入",
                "no free delivery note number left for that day; type one",
            ),
            Msg::SupplierRequired => text(InvalidInput, "请填写供应商", "supplier is required"),
            Msg::CustomerRequired => text(InvalidInput, "请填写客户", "customer is required"),
            Msg::NotFoundById { zh, en, id } => text(
                NotFound,
                format!("找不到{zh}（编号 {id}），可能已被删除，请刷新列表"),
                format!("{en} #{id} not found; refresh the list"),
            ),
            Msg::NoCompanyPrefix => text(
                InvalidState,
                "尚未设置厂商识别代码，无法生成 GTIN：请先在首次设置的“赋码方案”中填写，或直接输入 GTIN",
                "no GS1 company prefix is set; add it to the coding settings or type the GTIN",
            )
            .at("gtin"),
            Msg::ItemReferencesUsedUp { prefix } => text(
                InvalidState,
                format!(
                    "厂商识别代码 {prefix} 下的商品项目代码已用完，请向中国物品编码中心申请新的厂商识别代码"
                ),
                format!("every item reference under company prefix {prefix} is in use"),
            )
            .at("gtin"),
            Msg::GtinUnbuildable { zh, en } => text(
                Internal,
                format!("无法生成 GTIN：{zh}"),
                format!("cannot build a GTIN: {en}"),
            ),
            Msg::SettingUnsaved { error } => text(
                Internal,
                format!("设置无法保存：{error}"),
                format!("cannot encode setting: {error}"),
            ),
            Msg::EnterpriseNotReadBack => text(
                Internal,
                "企业信息保存后未能读回",
                "enterprise profile not found after saving",
            ),
            Msg::DateRangeInvalid { from, to } => text(
                InvalidInput,
                format!("日期范围无效：{from} 至 {to}（格式 YYYY-MM-DD，开始不晚于结束）"),
                format!("invalid date range {from} to {to} (YYYY-MM-DD, start not after end)"),
            ),

            Msg::UnknownTraceCode { text: code } => text(
                NotFound,
                format!("“{code}”不是本企业生成或导入的追溯码：请核对是否扫错了标签"),
                format!(
                    "{code:?} is not a trace code this enterprise generated or imported; check the label"
                ),
            ),
            Msg::UnknownGtin { gtin14 } => text(
                NotFound,
                format!("GTIN {gtin14} 不是本企业登记的产品"),
                format!("GTIN {gtin14} is not one of our products"),
            ),
            Msg::ProductCodesIssued { name, issued } => text(
                InvalidState,
                format!(
                    "“{name}”已有 {issued} 个追溯码，赋码方案和粒度不能再改：已印出的码会与产品对不上。\
                     如确需更改，请新建一个产品（新型号或新 GTIN）"
                ),
                format!(
                    "{name:?} already has {issued} trace codes, so its scheme and granularity can no longer change \
                     (printed codes would no longer match it); create a new product (new model or GTIN) instead"
                ),
            )
            .at("granularity"),
            Msg::ProductNotFoundByRef { r } => text(
                NotFound,
                format!("找不到产品“{r}”：请写产品编号或 GTIN（tracedesk product list 可列出）"),
                format!("no product {r:?}: give its id or GTIN (see tracedesk product list)"),
            ),
            Msg::BatchLotNotFound { lot } => text(
                NotFound,
                format!("找不到此产品批号为 {lot} 的批次，请先在“生产”中登记"),
                format!("no batch with lot {lot} for this product; record it under Production first"),
            ),
            Msg::BatchNotReadBack => text(
                Internal,
                "批次保存后未能读回",
                "batch not found after saving",
            ),
            Msg::CodeListIsWorkbook { path } => text(
                UnreadableFile,
                format!(
                    "{} 是 Excel 工作簿：请在 Excel 中“另存为”CSV（UTF-8）后再导入，每行一个码",
                    path.display()
                ),
                format!(
                    "{} is an Excel workbook: save it as CSV (UTF-8) with one code per line, then import that",
                    path.display()
                ),
            ),
            Msg::CodeListNotUtf8 { path } => text(
                UnreadableFile,
                format!(
                    "{} 不是 UTF-8 文本：请另存为“CSV UTF-8”或 UTF-8 编码的文本文件",
                    path.display()
                ),
                format!(
                    "{} is not UTF-8 text: save it as CSV UTF-8 or a UTF-8 text file",
                    path.display()
                ),
            ),

            Msg::CodeInvalid { field } => {
                text(InvalidInput, "编码有误", "the code is not valid").at(&field)
            }
            Msg::NoRandomBytes { error } => text(
                Internal,
                format!("操作系统没有提供随机数：{error}"),
                format!("the operating system gave no random bytes: {error}"),
            ),
            Msg::NoRandomBytesForPreview { error } => text(
                Internal,
                format!("操作系统没有提供随机数：{error}"),
                format!("no random bytes: {error}"),
            ),
            Msg::BatchOfOtherProduct { lot, product } => text(
                InvalidInput,
                format!("批次 {lot} 属于另一个产品（{product}），请选择本产品的批次"),
                format!("batch {lot} belongs to another product ({product}); choose a batch of this product"),
            )
            .at("batchId"),
            Msg::BatchRequired { name, granularity_zh, granularity_en } => text(
                InvalidInput,
                format!("“{name}”按{granularity_zh}赋码，请先选择批次"),
                format!("{name:?} is coded per {granularity_en}: choose a batch first"),
            )
            .at("batchId"),
            Msg::ProductGtinWrong { gtin, zh, en } => text(
                InvalidState,
                format!("产品 GTIN {gtin} 有误：{zh}。请在“产品”中改正"),
                format!("the product's GTIN {gtin} is wrong: {en}; fix it under Products"),
            ),
            Msg::ProductWithoutGtin { name } => text(
                InvalidState,
                format!("“{name}”使用 GS1 方案但没有 GTIN：请先在“产品”中填写或生成 GTIN"),
                format!("{name:?} uses GS1 but has no GTIN; add or generate one under Products"),
            ),
            Msg::OnlyGs1Composed => text(
                Internal,
                "只有 GS1 产品的码由本软件生成",
                "only GS1 codes are composed here",
            ),
            Msg::TraceCodeRequired => {
                text(InvalidInput, "请输入或扫描追溯码", "type or scan a trace code").at("code")
            }
            Msg::CodeNeedsLot { name } => text(
                InvalidInput,
                format!("“{name}”按一批一码赋码，码中应有批号 (10)"),
                format!("{name:?} is coded per batch: the code needs a lot (10)"),
            )
            .at("code"),
            Msg::CodeNeedsSerial { name } => text(
                InvalidInput,
                format!("“{name}”按一物一码赋码，码中应有序列号 (21)"),
                format!("{name:?} is coded per item: the code needs a serial (21)"),
            )
            .at("code"),
            Msg::LotSerialMismatch { lot, serial, batch_lot } => text(
                InvalidInput,
                format!("码中的批号 {lot} 与序列号 {serial} 所属批次 {batch_lot} 不符：标签可能印错了"),
                format!(
                    "the lot {lot} in the code does not match batch {batch_lot} of serial {serial}; the label may be misprinted"
                ),
            )
            .at("code"),
            Msg::ReasonRequired { reprint } => text(
                InvalidInput,
                if reprint {
                    "请填写补打原因（如“标签破损”“标签丢失”）"
                } else {
                    "请填写作废原因（如“标签印坏”“产品报废”）"
                },
                "give a reason",
            )
            .at("reason"),
            Msg::CodeAlreadyVoid { reprint, when, why } => {
                if reprint {
                    text(
                        InvalidState,
                        format!("此码已作废（{when}，原因：{why}），不能补打：请为该产品重新赋码"),
                        format!("this code is void ({when}, reason: {why}) and cannot be reprinted; issue a new code"),
                    )
                } else {
                    text(
                        InvalidState,
                        format!("此码已作废（{when}，原因：{why}），无需再次作废"),
                        format!("this code is already void ({when}, reason: {why})"),
                    )
                }
            }
            Msg::CountOutOfRange { max, count } => text(
                InvalidInput,
                format!("数量应为 1 到 {max}，当前为 {count}"),
                format!("the count must be 1 to {max}, got {count}"),
            )
            .at("count"),
            Msg::SerialPatternExhausted { zh, en, issued } => text(
                InvalidState,
                format!("{zh}。此规则下已发出 {issued} 个序列号：请在赋码设置中加大序号位数或换用新规则"),
                format!("{en}; {issued} serials were already issued under this pattern: widen the number or use a new pattern"),
            ),
            Msg::RandomSerialsNearlyExhausted { len } => text(
                InvalidState,
                format!("{len} 位随机序列号几乎已用尽，请加大随机序列号长度"),
                format!("random serials of length {len} are nearly exhausted; make them longer"),
            ),
            Msg::RandomSerialsUsedUp { len } => text(
                InvalidState,
                format!("{len} 位随机序列号已用尽，请加大随机序列号长度"),
                format!("random serials of length {len} are used up; make them longer"),
            ),
            Msg::CodeTaken { code, other_id } => text(
                InvalidState,
                format!("码 {code} 已属于另一条记录（编号 {other_id}）"),
                format!("code {code} already belongs to trace code #{other_id}"),
            ),
            Msg::PlatformCodesNotImported { scheme_zh, scheme_en, for_batch } => text(
                InvalidState,
                format!(
                    "{scheme_zh} 由其平台发码：此{}还没有导入的码。请先从平台下载码清单，再用“导入码清单”导入",
                    if for_batch { "批次" } else { "产品" }
                ),
                format!(
                    "{scheme_en} codes are issued by their platform and none were imported for this {}; download the list from the platform and import it",
                    if for_batch { "batch" } else { "product" }
                ),
            ),
            Msg::TooFewImportedCodes { available, count } => text(
                InvalidState,
                format!("只导入了 {available} 个码，要 {count} 个：请先从平台申领并导入更多的码"),
                format!("only {available} codes were imported, {count} were asked for; import more from the platform"),
            ),
            Msg::Gs1CodesNotImported => text(
                InvalidState,
                "GS1 产品的追溯码由本软件按 GTIN 生成，无需导入",
                "GS1 codes are generated here from the GTIN; there is nothing to import",
            ),
            Msg::SerialRulesOverlap { ours_zh, theirs_zh, ours_en, theirs_en } => text(
                InvalidState,
                format!(
                    "序列号{ours_zh}生成的序列号可能与此 GTIN 已发出的序列号（{theirs_zh}）重复，不能使用。\
                     请换用长度不同或带不同字母前缀的规则，例如“A{{seq:08}}”"
                ),
                format!(
                    "serials of {ours_en} could repeat serials already issued under this GTIN ({theirs_en}); \
                     use a rule of another length or with another letter prefix, e.g. \"A{{seq:08}}\""
                ),
            ),
            Msg::SeriesKeyLost { series_id } => text(
                Internal,
                format!("序列号系列 {series_id} 缺少密钥，无法读出其随机序列号；请从备份恢复"),
                format!("serial series {series_id} has lost its key, so its random serials cannot be read; restore a backup"),
            ),
            Msg::DlStemInvalid { stem } => text(
                InvalidInput,
                format!(
                    "Digital Link 域名应形如 https://id.gs1.org 或 https://码.企业域名/路径（不含 ? 和 #），当前为“{stem}”"
                ),
                format!(
                    "the Digital Link stem looks like https://id.gs1.org or https://host/path (no ? or #), got {stem:?}"
                ),
            )
            .at("dlStem"),
            Msg::RandomLengthOutOfRange { length } => text(
                InvalidInput,
                format!("随机序列号长度应为 8–20 位（12 位约 71 比特，足以防猜），当前为 {length}"),
                format!("random serials are 8 to 20 characters (12 give about 71 bits), got {length}"),
            )
            .at("randomLength"),
            Msg::ShelfLifeOutOfRange => text(
                InvalidInput,
                "保质期天数应为 1–36500",
                "shelf life is 1 to 36500 days",
            )
            .at("shelfLifeDays"),
            Msg::LotNumberInvalid { lot } => text(
                InvalidInput,
                format!(
                    "批号应为 1–20 位字母、数字或 GS1 允许的符号（建议只用字母、数字和“-”），当前为“{lot}”"
                ),
                format!(
                    "a lot number is 1 to 20 letters, digits or GS1-allowed symbols (best: letters, digits, '-'), got {lot:?}"
                ),
            )
            .at("lot"),
            Msg::LabelNoGs1Data => {
                text(InvalidInput, "码中没有 GS1 数据", "the code holds no GS1 data").at("symbology")
            }
            Msg::Ean13OnlyGtin => text(
                InvalidInput,
                "EAN-13 只能印 13 位商品条码（一品一码）：批号、序列号印不进去，一批一码/一物一码请用 GS1 DataMatrix、二维码或 GS1-128",
                "EAN-13 carries a GTIN-13 only (per-product codes); for lots and serials use GS1 DataMatrix, QR or GS1-128",
            )
            .at("symbology"),
            Msg::Gs1NeedsGs1_128 => text(
                InvalidInput,
                "GS1 码请用 GS1-128（带 FNC1），普通 Code 128 扫出来不是 GS1 数据",
                "use GS1-128 for GS1 codes; plain Code 128 would not scan as GS1 data",
            )
            .at("symbology"),
            Msg::EcodeNeedsQrOrCode128 => text(
                InvalidInput,
                "Ecode 和数字身份码请用二维码或 Code 128：GS1 DataMatrix、GS1-128 和 EAN-13 只承载 GS1 数据",
                "print Ecode and 数字身份码 as QR or Code 128; GS1 DataMatrix, GS1-128 and EAN-13 carry GS1 data only",
            )
            .at("symbology"),
            Msg::NotATraceCode => text(
                InvalidInput,
                "这不是追溯码（可能是证书编号或统一社会信用代码），不能印成追溯标签",
                "this is not a trace code (perhaps a certificate number or a USCC)",
            )
            .at("symbology"),

            Msg::RecallStart => text(
                InvalidInput,
                "模拟召回请从原料批次或生产批次开始",
                "a recall drill starts from a material lot or a production batch",
            ),
            Msg::RecallLotNotFound { lot } => text(
                NotFound,
                format!("找不到批号“{lot}”：它既不是已登记的原料批号，也不是生产批号"),
                format!("{lot:?} is neither a registered material lot nor a batch lot"),
            )
            .at("lot"),
            Msg::TraceStart => text(
                InvalidInput,
                "请从原料批次、生产批次、单品或送货单开始追溯",
                "trace from a material lot, a batch, an item or a delivery note",
            ),
            Msg::TraceQueryEmpty => text(
                InvalidInput,
                "请输入或扫描追溯码、批号、原料批号或送货单号",
                "type or scan a code, lot or delivery note number",
            )
            .at("query"),
            Msg::TraceQueryNotFound { text: query } => text(
                NotFound,
                format!(
                    "找不到“{query}”：它不是已登记的追溯码、生产批号、原料批号或送货单号，请检查输入"
                ),
                format!(
                    "{query:?} is not a registered trace code, batch lot, material lot or delivery note"
                ),
            )
            .at("query"),

            Msg::ImportSessionEnded => text(
                NotFound,
                "这次导入已经结束或已过期，请重新选择文件",
                "the import session has ended; open the file again",
            ),
            Msg::ImportCancelled => text(
                InvalidState,
                "已取消，没有写入任何数据",
                "cancelled; nothing was written",
            )
            .at("import.cancelled"),
            Msg::ImportSheetNotChosen => text(
                InvalidState,
                "请先选择工作表并读取数据",
                "read a sheet first",
            ),
            Msg::ImportSheetNotRead => text(InvalidState, "请先读取工作表", "read a sheet first"),
            Msg::ImportNothingToImport => text(
                InvalidState,
                "这张表没有可以导入的数据行，请先处理表头和缺少的列",
                "the sheet has no rows that can be imported; fix the header and missing columns first",
            ),
            Msg::ImportRowsInvalid { rows } => text(
                InvalidState,
                format!(
                    "还有 {rows} 行有错误，按“全部导入”不能提交。请先修正，或选择“只导入没有错误的行”"
                ),
                format!("{rows} rows still have errors; fix them or import only the valid rows"),
            ),
            Msg::ImportDatabaseChanged { zh, en } => text(
                InvalidState,
                format!("检查之后数据库有了变化：{zh}。没有写入任何数据，请重新检查后再导入"),
                format!("the database changed since the check: {en}; nothing was written, check again"),
            ),
            Msg::ImportRunNotFound { run_id } => text(
                NotFound,
                format!("没有编号为 {run_id} 的导入记录"),
                format!("no import run {run_id}"),
            ),
            Msg::ImportRunMissing => text(NotFound, "导入记录不存在", "run not found"),
            Msg::ImportRunUndone { run_id, at } => text(
                InvalidState,
                format!("第 {run_id} 次导入已在 {at} 撤销过"),
                format!("import run {run_id} was already undone at {at}"),
            ),
            Msg::ImportRunSubmitted { run_id, count, table, table_zh } => text(
                InvalidState,
                format!(
                    "第 {run_id} 次导入的 {count} 条{table_zh}已经报送到平台，不能撤销。请对需要修改的记录提交更正"
                ),
                format!(
                    "{count} {table} records of import run {run_id} have been submitted; it cannot be undone"
                ),
            ),
            Msg::ImportRunInUse { run_id, table, table_zh, detail } => text(
                InvalidState,
                format!(
                    "第 {run_id} 次导入的{table_zh}“{detail}”已被后来录入的记录使用（如出库、单品或追溯码），不能整体撤销。没有删除任何数据"
                ),
                format!(
                    "{table} {detail:?} of import run {run_id} is used by later records; nothing was deleted"
                ),
            ),
            Msg::ImportUnknownField { kind_zh, kind_en, key, fields_zh, fields_en } => text(
                InvalidInput,
                format!("“{kind_zh}”没有名为 {key} 的栏目。可用的栏目：{fields_zh}"),
                format!("{kind_en} has no field {key}; the fields are: {fields_en}"),
            )
            .at("mapping"),
            Msg::ImportPlanDangling => text(
                Internal,
                "导入计划引用了不存在的记录，没有写入任何数据",
                "the import plan refers to a record it does not create; nothing was written",
            ),
            Msg::ImportBlankHeader { n } => text(
                InvalidInput,
                format!("第 {n} 行是空行，不能作为表头。请选择列名所在的那一行"),
                format!("row {n} is blank and cannot be the header"),
            )
            .at("headerRow"),
            Msg::ImportBadMapping { error } => text(
                InvalidInput,
                format!("列对应有误：{error}"),
                format!("bad column mapping: {error}"),
            )
            .at("mapping"),
            Msg::ImportNoHeader => text(
                InvalidState,
                "没有找到表头，无法修改数据行",
                "no header, so rows cannot be edited",
            ),
            Msg::ImportNotADataRow { row } => text(
                NotFound,
                format!("第 {row} 行不是这张表的数据行"),
                format!("row {row} is not a data row of this sheet"),
            ),
            Msg::ImportNoHeaderForMapping { sheet } => text(
                InvalidInput,
                format!(
                    "工作表“{sheet}”的前几行里没有找到表头，无法按列名指定列对应。请用 --header-row 指定表头所在的行"
                ),
                format!(
                    "no header row was found in sheet {sheet:?}, so columns cannot be chosen by header; give the header's row with --header-row"
                ),
            )
            .at("mapping"),
            Msg::ImportNoSuchColumn { header_row, wanted, headers_zh, headers_en } => text(
                InvalidInput,
                format!("第 {header_row} 行的表头中没有“{wanted}”这一列。表头有：{headers_zh}"),
                format!(
                    "the header in row {header_row} has no column {wanted:?}; its columns are: {headers_en}"
                ),
            )
            .at("mapping"),
            Msg::ImportRowNotData { row } => text(
                InvalidInput,
                format!("第 {row} 行不是数据行"),
                format!("row {row} is not a data row"),
            ),
            Msg::ImportRowEmpty { row } => text(
                InvalidInput,
                format!("第 {row} 行的内容全部为空。如要跳过这一行，请在 Excel 中删除它"),
                format!("row {row} is empty"),
            ),

            Msg::NothingToPrint => text(InvalidInput, "没有要打印的码", "there are no codes to print"),
            Msg::TooManyLabels { max } => text(
                InvalidInput,
                format!("一次最多打印 {max} 张标签，请分批打印（例如把码清单拆成几个文件）"),
                format!("at most {max} labels at a time; print in parts (split the code list)"),
            ),
            Msg::PrinterProfilesUnreadable { error } => text(
                InvalidState,
                format!("保存的打印机配置无法读取（{error}）：请在“打印机”设置中重新保存或删除配置"),
                format!(
                    "the saved printer profiles cannot be read ({error}): save or delete them again in the printer settings"
                ),
            ),
            Msg::PrinterProfilesUnsaved { error } => text(
                Internal,
                format!("打印机配置无法保存：{error}"),
                format!("cannot save printer profiles: {error}"),
            ),
            Msg::PrinterProfileUnknown { name, names_zh, names_en } => text(
                NotFound,
                format!("没有名为“{name}”的打印机配置；已有：{names_zh}。请先用“添加打印机”保存"),
                format!(
                    "there is no printer profile named \"{name}\"; there are: {names_en}. Add it first"
                ),
            )
            .at("profile"),
            Msg::TooManyPrinterProfiles { max } => text(
                InvalidInput,
                format!("最多保存 {max} 个打印机配置，请先删除不用的"),
                format!("at most {max} printer profiles; delete unused ones first"),
            ),
            Msg::PrinterProfileNotSaved { name } => text(
                NotFound,
                format!("没有保存名为“{name}”的打印机配置（内置默认配置不能删除）"),
                format!(
                    "no saved printer profile is named \"{name}\" (built-in defaults cannot be deleted)"
                ),
            )
            .at("profile"),

            Msg::UpdateDuringSubmission { zh, en } => text(
                InvalidState,
                format!("正在报送，报送结束后才能更新。{zh}"),
                format!("a submission is running; update after it has finished. {en}"),
            )
            .at("update"),
            Msg::UpdateDuringImport => text(
                InvalidState,
                "导入尚未结束：请先在“导入”中提交或关闭当前文件，再更新",
                "an import is open: commit or close its file in Import first, then update",
            )
            .at("update"),
            Msg::UpdateServerUnreachable { detail: d } => text(
                InvalidState,
                format!(
                    "无法连接更新服务器：{d}。请检查网络或代理设置后再试；离线的电脑可由管理员用新版安装包直接安装，数据不受影响"
                ),
                format!(
                    "cannot reach the update server: {d}; check the network or proxy and try again; an offline PC can be updated with the new installer, and its data is kept"
                ),
            )
            .at("update"),
            Msg::UpdateManifestUnusable { detail: d } => text(
                InvalidState,
                format!(
                    "更新服务器的回复不是本平台可用的版本说明：{d}。请稍后再试，或联系软件提供方"
                ),
                format!(
                    "the update server did not answer with a release for this platform: {d}; try again later or contact the supplier"
                ),
            )
            .at("update"),
            Msg::UpdateSignatureInvalid { detail: d } => text(
                InvalidState,
                format!(
                    "更新包的签名无效，已拒绝安装（{d}）。该文件可能在传输中损坏或被篡改；当前版本和数据均未改变。请稍后重试，若仍失败请联系软件提供方"
                ),
                format!(
                    "the update package's signature is invalid, so it was refused ({d}); the file may be damaged or tampered with; the installed version and the data are unchanged; try again later and contact the supplier if it persists"
                ),
            )
            .at("update"),
            Msg::UpdateInstallFailed { detail: d } => text(
                InvalidState,
                format!(
                    "更新包已通过签名验证，但安装失败：{d}。当前版本仍可使用；请以管理员身份运行安装包，或联系 IT 人员"
                ),
                format!(
                    "the update package was verified but could not be installed: {d}; the current version still works; run the installer as an administrator or ask IT"
                ),
            )
            .at("update"),
            Msg::UpdateNotInstalledFromPackage => text(
                InvalidState,
                "此程序不是通过安装包安装的（例如从源代码运行），不能自动更新。请用新版安装包安装",
                "this program was not installed from a package (it runs from a source checkout, say), so it cannot update itself; install the new package instead",
            )
            .at("update"),
            Msg::UpdateNothingDownloaded => text(
                InvalidState,
                "还没有已下载并验证的更新。请先点击“检查更新”，再下载",
                "no verified update has been downloaded yet; check for updates and download first",
            )
            .at("update"),
        }
    }
}

/// For `?` on a `Result<_, Msg>`; the log then names this impl's caller only where the compiler
/// passes the location through, so raise errors with [`Msg::err`] instead.
#[cfg(test)]
mod tests;

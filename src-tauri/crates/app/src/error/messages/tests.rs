use std::collections::BTreeSet;
use std::path::PathBuf;

use strum::VariantNames;

use super::Msg;
use crate::ErrorCode;

/// One value of every variant, with parameters as a clerk would see them.
fn examples() -> Vec<Msg> {
    let path = || PathBuf::from("/home/clerk/追溯通/导出.xlsx");
    let error = || "Permission denied (os error 13)".to_string();
    vec![
        Msg::Relayed {
            code: ErrorCode::InvalidInput,
            field: Some("lotPattern".into()),
            zh: "批号规则缺少序号".into(),
            en: "the lot pattern has no sequence number".into(),
        },
        Msg::CannotWrite {
            path: path(),
            error: error(),
        },
        Msg::CannotRead {
            path: path(),
            error: error(),
        },
        Msg::CannotReadBack {
            path: path(),
            error: error(),
        },
        Msg::Storage {
            error: "database is locked".into(),
        },
        Msg::ProductHasCodes,
        Msg::CatalogueTooLarge {
            path: path(),
            bytes: 5_000_000,
            limit: 4_194_304,
        },
        Msg::CatalogueNotUtf8 { path: path() },
        Msg::CatalogueInvalid {
            path: path(),
            count: 2,
            first_zh: "第 5 行：本行有 3 个用制表符分隔的单元格，应为 7 个".into(),
            first_en: "line 5: the line has 3 cells separated by tabs, expected 7".into(),
        },
        Msg::CatalogueUnknown {
            name: "units".into(),
            known: "ccc_catalogue、product_catalogue、rec20_units".into(),
        },
        Msg::DataDirUncreatable {
            dir: path(),
            error: error(),
        },
        Msg::DatabaseTooNew {
            path: path(),
            found: 12,
            supported: 9,
        },
        Msg::NotADatabase {
            path: path(),
            reason: "file is not a database".into(),
        },
        Msg::NotABackup {
            src: path(),
            reason: "integrity check failed".into(),
        },
        Msg::BackupMissing { src: path() },
        Msg::BackupSchemaDiffers {
            src: path(),
            schema_version: 9,
            differences: 1,
            zh: "缺少触发器 audit_batches".into(),
            en: "trigger audit_batches is missing".into(),
        },
        Msg::BackupArchiveUnverified {
            src: path(),
            zh: "第 3 条档案的哈希不符".into(),
            en: "archive entry 3 has the wrong hash".into(),
        },
        Msg::LogFileUncreatable {
            dir: path(),
            error: error(),
        },
        Msg::CredentialFileUnwritable {
            path: path(),
            error: error(),
        },
        Msg::SecretUnsealable { error: error() },
        Msg::GeneratorTargetExists { path: path() },
        Msg::FontUnreadable {
            file: path(),
            error: error(),
        },
        Msg::NoChineseFont,
        Msg::ArchiveAnchorUnavailable {
            code: ErrorCode::InvalidState,
            zh: "平台未响应".into(),
            en: "the platform did not answer".into(),
        },
        Msg::ArchiveEntryNotFound { id: 7 },
        Msg::AppKeyFirst,
        Msg::PlatformAddressUnusable {
            error: "relative URL without a base".into(),
        },
        Msg::PlatformAddressNotHttps {
            error: "http:// is only for this computer".into(),
        },
        Msg::PlatformCredentialsMissing,
        Msg::SubmissionRunning,
        Msg::SubmissionLeaseBusy {
            restoring: false,
            program: "tracedesk".into(),
            pid: 4242,
            host: "前台电脑".into(),
            since: "2026-05-01T08:00:00Z".into(),
            lapses: "2026-05-01T08:02:00Z".into(),
        },
        Msg::SubmissionLeaseLost,
        Msg::OutboxRecordNotFound { id: 12 },
        Msg::CorrectionOnlyAccepted,
        Msg::CorrectionOnlyCurrent {
            id: 12,
            current: 15,
            state_zh: "已接收".into(),
            state_en: "accepted".into(),
        },
        Msg::RecordNotCanonical {
            error: "number out of range".into(),
        },
        Msg::PracticePlatformDown {
            error: "address in use".into(),
        },
        Msg::RecordSubmitted {
            at: "2026-05-01 08:00".into(),
        },
        Msg::AttachmentLimitOutOfRange {
            limit: "0.5 MB".into(),
            min: "1 MB".into(),
            max: "50 MB".into(),
        },
        Msg::PartiesTakeNoAttachments,
        Msg::AttachmentRefused {
            name: "检验报告.pdf".into(),
            zh: "超过 10 MB 的上限".into(),
            en: "is over the 10 MB limit".into(),
        },
        Msg::AttachmentUnreadable {
            name: "检验报告.pdf".into(),
            src: path(),
            error: error(),
        },
        Msg::LotPatternInvalid {
            pattern: "LOT-A".into(),
            zh: "缺少序号".into(),
            en: "it has no sequence number".into(),
        },
        Msg::LotNumbersUsedUp,
        Msg::DeliveryNumbersUsedUp,
        Msg::SupplierRequired,
        Msg::CustomerRequired,
        Msg::NotFoundById {
            zh: "生产批次".into(),
            en: "batch".into(),
            id: 3,
        },
        Msg::NoCompanyPrefix,
        Msg::ItemReferencesUsedUp {
            prefix: "6901234".into(),
        },
        Msg::GtinUnbuildable {
            zh: "长度不对".into(),
            en: "wrong length".into(),
        },
        Msg::SettingUnsaved {
            error: "invalid type: map".into(),
        },
        Msg::EnterpriseNotReadBack,
        Msg::DateRangeInvalid {
            from: "2026-05-02".into(),
            to: "2026-05-01".into(),
        },
        Msg::UnknownTraceCode {
            text: "01069012345678901721ABC".into(),
        },
        Msg::UnknownGtin {
            gtin14: "06901234567892".into(),
        },
        Msg::ProductCodesIssued {
            name: "电动车头盔".into(),
            issued: 120,
        },
        Msg::ProductNotFoundByRef { r: "头盔".into() },
        Msg::BatchLotNotFound {
            lot: "B20260501-001".into(),
        },
        Msg::BatchNotReadBack,
        Msg::CodeListIsWorkbook { path: path() },
        Msg::CodeListNotUtf8 { path: path() },
        Msg::CodeInvalid {
            field: "serialPattern".into(),
        },
        Msg::NoRandomBytes { error: error() },
        Msg::NoRandomBytesForPreview { error: error() },
        Msg::BatchOfOtherProduct {
            lot: "B20260501-001".into(),
            product: "儿童头盔".into(),
        },
        Msg::BatchRequired {
            name: "电动车头盔".into(),
            granularity_zh: "一批一码".into(),
            granularity_en: "batch".into(),
        },
        Msg::ProductGtinWrong {
            gtin: "06901234567891".into(),
            zh: "校验位应为 2".into(),
            en: "the check digit is 2".into(),
        },
        Msg::ProductWithoutGtin {
            name: "电动车头盔".into(),
        },
        Msg::OnlyGs1Composed,
        Msg::TraceCodeRequired,
        Msg::CodeNeedsLot {
            name: "电动车头盔".into(),
        },
        Msg::CodeNeedsSerial {
            name: "电动车头盔".into(),
        },
        Msg::LotSerialMismatch {
            lot: "B1".into(),
            serial: "A0001".into(),
            batch_lot: "B2".into(),
        },
        Msg::ReasonRequired { reprint: false },
        Msg::CodeAlreadyVoid {
            reprint: true,
            when: "2026-05-01 08:00".into(),
            why: "标签印坏".into(),
        },
        Msg::CountOutOfRange {
            max: 100_000,
            count: 0,
        },
        Msg::SerialPatternExhausted {
            zh: "序号已到 9999".into(),
            en: "the number has reached 9999".into(),
            issued: 9999,
        },
        Msg::RandomSerialsNearlyExhausted { len: 8 },
        Msg::RandomSerialsUsedUp { len: 8 },
        Msg::CodeTaken {
            code: "06901234567892".into(),
            other_id: 3,
        },
        Msg::PlatformCodesNotImported {
            scheme_zh: "Ecode".into(),
            scheme_en: "Ecode".into(),
            for_batch: true,
        },
        Msg::TooFewImportedCodes {
            available: 10,
            count: 20,
        },
        Msg::Gs1CodesNotImported,
        Msg::SerialRulesOverlap {
            ours_zh: "规则“S{seq:06}”".into(),
            theirs_zh: "12 位随机序列号".into(),
            ours_en: "pattern \"S{seq:06}\"".into(),
            theirs_en: "random serials of length 12".into(),
        },
        Msg::SeriesKeyLost { series_id: 2 },
        Msg::DlStemInvalid {
            stem: "id.example.cn?x".into(),
        },
        Msg::RandomLengthOutOfRange { length: 30 },
        Msg::ShelfLifeOutOfRange,
        Msg::LotNumberInvalid {
            lot: "批次一".into(),
        },
        Msg::LabelNoGs1Data,
        Msg::Ean13OnlyGtin,
        Msg::Gs1NeedsGs1_128,
        Msg::EcodeNeedsQrOrCode128,
        Msg::NotATraceCode,
        Msg::RecallStart,
        Msg::RecallLotNotFound {
            lot: "M-0501".into(),
        },
        Msg::TraceStart,
        Msg::TraceQueryEmpty,
        Msg::TraceQueryNotFound { text: "XYZ".into() },
        Msg::ImportSessionEnded,
        Msg::ImportCancelled,
        Msg::ImportSheetNotChosen,
        Msg::ImportSheetNotRead,
        Msg::ImportNothingToImport,
        Msg::ImportRowsInvalid { rows: 3 },
        Msg::ImportDatabaseChanged {
            zh: "批号 B1 已存在".into(),
            en: "lot B1 exists already".into(),
        },
        Msg::ImportRunNotFound { run_id: 4 },
        Msg::ImportRunMissing,
        Msg::ImportRunUndone {
            run_id: 4,
            at: "2026-05-01 08:00".into(),
        },
        Msg::ImportRunSubmitted {
            run_id: 4,
            count: 2,
            table: "batches".into(),
            table_zh: "生产批次".into(),
        },
        Msg::ImportRunInUse {
            run_id: 4,
            table: "batches".into(),
            table_zh: "生产批次".into(),
            detail: "B20260501-001".into(),
        },
        Msg::ImportUnknownField {
            kind_zh: "生产批次".into(),
            kind_en: "batch".into(),
            key: "colour".into(),
            fields_zh: "lot（批号）、quantity（数量）".into(),
            fields_en: "lot (lot), quantity (quantity)".into(),
        },
        Msg::ImportPlanDangling,
        Msg::ImportBlankHeader { n: 2 },
        Msg::ImportBadMapping {
            error: "column C is used twice".into(),
        },
        Msg::ImportNoHeader,
        Msg::ImportNotADataRow { row: 1 },
        Msg::ImportNoHeaderForMapping {
            sheet: "Sheet1".into(),
        },
        Msg::ImportNoSuchColumn {
            header_row: 1,
            wanted: "批号".into(),
            headers_zh: "日期、数量".into(),
            headers_en: "日期, 数量".into(),
        },
        Msg::ImportRowNotData { row: 1 },
        Msg::ImportRowEmpty { row: 5 },
        Msg::NothingToPrint,
        Msg::TooManyLabels { max: 5000 },
        Msg::PrinterProfilesUnreadable {
            error: "expected value at line 1".into(),
        },
        Msg::PrinterProfilesUnsaved { error: error() },
        Msg::PrinterProfileUnknown {
            name: "仓库".into(),
            names_zh: "默认、前台".into(),
            names_en: "默认, 前台".into(),
        },
        Msg::TooManyPrinterProfiles { max: 20 },
        Msg::PrinterProfileNotSaved {
            name: "仓库".into(),
        },
        Msg::UpdateDuringSubmission {
            zh: "另一个程序正在报送".into(),
            en: "another program is submitting".into(),
        },
        Msg::UpdateDuringImport,
        Msg::UpdateServerUnreachable {
            detail: "connection refused".into(),
        },
        Msg::UpdateManifestUnusable {
            detail: "no linux-x86_64 entry".into(),
        },
        Msg::UpdateSignatureInvalid {
            detail: "signature mismatch".into(),
        },
        Msg::UpdateInstallFailed {
            detail: "access denied".into(),
        },
        Msg::UpdateNotInstalledFromPackage,
        Msg::UpdateNothingDownloaded,
    ]
}

#[test]
fn every_catalogue_message_has_both_languages_and_keeps_the_message_rule() {
    let examples = examples();
    let named: BTreeSet<&str> = examples.iter().map(<&str>::from).collect();
    let all: BTreeSet<&str> = Msg::VARIANTS.iter().copied().collect();
    let missing: Vec<_> = all.difference(&named).collect();
    assert!(
        missing.is_empty(),
        "variants without an example: {missing:?}"
    );

    let mut breaks = Vec::new();
    for msg in examples {
        let name: &'static str = (&msg).into();
        let e = msg.err();
        assert!(!e.message_zh.trim().is_empty(), "{name}: no Chinese text");
        assert!(!e.message_en.trim().is_empty(), "{name}: no English text");
        for b in codes::message::rule_breaks(&e.message_zh, &e.message_en) {
            breaks.push(format!("{name}: {b}"));
        }
    }
    assert!(breaks.is_empty(), "{}", breaks.join("\n"));
}

#[test]
fn a_catalogue_message_carries_its_code_and_field() {
    let e = Msg::TraceQueryEmpty.err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(e.field.as_deref(), Some("query"));
    let e = Msg::ArchiveEntryNotFound { id: 7 }.err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert_eq!(e.field, None);
    assert_eq!(e.message_zh, "档案条目 7 不存在");
    assert_eq!(e.message_en, "archive entry 7 not found");
}

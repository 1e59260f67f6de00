//! `tracedesk attachment …`: attach files to a record, and the size limit attachments may have.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use crate::output::Out;
use crate::{Cli, open};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Owner {
    Product,
    Receipt,
    Batch,
    Shipment,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Purpose {
    InspectionReport,
    Certificate,
    Photo,
    DeliveryNote,
    Other,
}

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// 添加附件（全部通过检查才添加，否则一个也不添加） attach files to a record, all or none
    Add {
        /// 记录类型 record kind
        #[arg(value_enum)]
        kind: Owner,
        /// 记录编号 record id
        id: i64,
        /// 文件 files (PDF, JPG, PNG, GIF, WebP, BMP, TIFF, Word, Excel, PowerPoint, OpenDocument)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 用途 purpose
        #[arg(long, value_enum, default_value = "other")]
        purpose: Purpose,
    },
    /// 显示或设置附件大小上限（MB） show or set the attachment size limit in MB
    Limit {
        /// 新上限（MB，1–512） the new limit in MB (1 to 512)
        mb: Option<u64>,
    },
}

pub fn run(cli: &Cli, out: &Out, command: &AttachmentCommand) -> app::Result<i32> {
    let app = open(cli)?;
    match command {
        AttachmentCommand::Add {
            kind,
            id,
            files,
            purpose,
        } => {
            let kind = match kind {
                Owner::Product => app::RecordKind::Product,
                Owner::Receipt => app::RecordKind::Receipt,
                Owner::Batch => app::RecordKind::Batch,
                Owner::Shipment => app::RecordKind::Shipment,
            };
            let purpose = match purpose {
                Purpose::InspectionReport => "inspection-report",
                Purpose::Certificate => "certificate",
                Purpose::Photo => "photo",
                Purpose::DeliveryNote => "delivery-note",
                Purpose::Other => "other",
            };
            let paths: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            let attached = app.add_attachments(kind, *id, &paths, purpose)?;
            out.value(&attached, || {
                let mut text = format!(
                    "已添加 {} 个附件 Attached {} file(s); 该记录现有附件 the record's attachments:",
                    files.len(),
                    files.len()
                );
                for a in &attached {
                    text.push_str(&format!(
                        "\n  #{} {} ({}, {} 字节 bytes) → {}",
                        a.id, a.file_name, a.media_type, a.size_bytes, a.path
                    ));
                }
                text
            });
        }
        AttachmentCommand::Limit { mb } => {
            let bytes = match mb {
                Some(mb) => app.set_attachment_limit(mb.saturating_mul(1024 * 1024))?,
                None => app.attachment_limit()?,
            };
            let value = serde_json::json!({ "maxBytes": bytes, "maxMb": bytes / (1024 * 1024) });
            out.value(&value, || {
                format!(
                    "附件大小上限 Attachment size limit: {}",
                    app::attachments::mb(bytes)
                )
            });
        }
    }
    Ok(0)
}

//! `tracedesk printer …` (label-printer profiles, OS printers, a test label) and the printer
//! side of `tracedesk label` (ZPL, TSPL, one-label PDF pages, label data for BarTender).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::label_args::{BarcodeArg, LabelArgs, LabelFormat, bad_input, pair, symbology_of};
use crate::output::Out;
use crate::{Cli, open};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanguageArg {
    Zpl,
    Tspl,
}

#[derive(Debug, Subcommand)]
pub enum PrinterCommand {
    /// 列出打印机配置与本机打印机 list printer profiles and this computer's printers
    List,
    /// 添加或修改打印机配置 add or change a printer profile
    Add(AddArgs),
    /// 删除打印机配置 remove a printer profile
    Remove {
        /// 配置名称 profile name
        name: String,
    },
    /// 打印一张测试标签 print one test label
    Test {
        /// 配置名称 profile name
        name: String,
        /// 输出文件 output file (default: exports/)
        #[arg(long)]
        out: Option<PathBuf>,
        /// 发送到此系统打印机（默认用配置里的）send to this OS printer (default: the profile's)
        #[arg(long)]
        printer: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// 配置名称 profile name
    name: String,
    /// 打印机指令语言：zpl 斑马；tspl TSC/芯烨/得力/科诚 language: zpl (Zebra), tspl (TSC, Xprinter,
    /// Deli, Godex)
    #[arg(long, value_enum)]
    language: LanguageArg,
    /// 分辨率 203 或 300 resolution, 203 or 300
    #[arg(long, default_value_t = 203)]
    dpi: u32,
    /// 标签尺寸 宽x高 mm label size WxH in mm
    #[arg(long, default_value = "50x30")]
    label_size: String,
    /// 标签间隙 mm gap in mm
    #[arg(long, default_value_t = 2.0)]
    gap: f32,
    /// 打印偏移 X,Y mm print offset X,Y in mm
    #[arg(long, default_value = "0,0", allow_hyphen_values = true)]
    offset: String,
    /// 条码方式 barcodes as printer commands (native) or images (bitmap)
    #[arg(long, value_enum, default_value = "native")]
    barcode: BarcodeArg,
    /// 默认发送到的系统打印机 the OS printer to send to
    #[arg(long, default_value = "")]
    printer: String,
}

/// `1.5,-0.5` → (1.5, -0.5).
fn offset(text: &str) -> app::Result<(f32, f32)> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [x, y] => match (x.parse(), y.parse()) {
            (Ok(x), Ok(y)) => Ok((x, y)),
            _ => Err(offset_error(text)),
        },
        _ => Err(offset_error(text)),
    }
}

fn offset_error(text: &str) -> app::ApiError {
    bad_input(
        format!("偏移应写成“X,Y”（毫米），例如 1,-0.5，当前为“{text}”"),
        format!("the offset is written X,Y in mm, e.g. 1,-0.5, got {text:?}"),
    )
}

fn language_dto(l: LanguageArg) -> app::PrinterLanguageDto {
    match l {
        LanguageArg::Zpl => app::PrinterLanguageDto::Zpl,
        LanguageArg::Tspl => app::PrinterLanguageDto::Tspl,
    }
}

fn barcode_dto(b: BarcodeArg) -> app::BarcodeModeDto {
    match b {
        BarcodeArg::Native => app::BarcodeModeDto::Native,
        BarcodeArg::Bitmap => app::BarcodeModeDto::Bitmap,
    }
}

fn language_text(l: app::PrinterLanguageDto) -> &'static str {
    match l {
        app::PrinterLanguageDto::Zpl => "ZPL",
        app::PrinterLanguageDto::Tspl => "TSPL",
    }
}

fn profile_line(p: &app::PrinterProfileDto) -> String {
    format!(
        "{}{}  {} {}dpi {}x{}mm 间隙 gap {}mm 偏移 offset {},{}mm {}{}",
        p.name,
        if p.built_in {
            "（内置 built-in）"
        } else {
            ""
        },
        language_text(p.language),
        p.dpi,
        p.label_width_mm,
        p.label_height_mm,
        p.gap_mm,
        p.offset_x_mm,
        p.offset_y_mm,
        match p.barcode {
            app::BarcodeModeDto::Native => "native",
            app::BarcodeModeDto::Bitmap => "bitmap",
        },
        if p.printer.is_empty() {
            String::new()
        } else {
            format!(" → {}", p.printer)
        }
    )
}

fn result_text(r: &app::PrintLabelsResult) -> String {
    let mut s = format!(
        "已写出 {} 张标签 Wrote {} labels ({} bytes) → {}",
        r.labels, r.labels, r.bytes, r.path
    );
    if let Some(p) = &r.printer {
        s.push_str(&format!(
            "\n  已发送到打印机 sent to printer {p}: {}",
            r.printer_reply.as_deref().unwrap_or("")
        ));
    }
    if r.omitted_text_lines > 0 {
        s.push_str(&format!(
            "\n  注意：找不到中文字体，{} 行中文（品名等）已略去；请安装 fonts-noto-cjk 或用 --font 指定\n  note: no font with Chinese glyphs was found, so {} lines of Chinese text (product names) were left out; install fonts-noto-cjk or pass --font",
            r.omitted_text_lines, r.omitted_text_lines
        ));
    }
    if r.bitmap_fallbacks > 0 {
        s.push_str(&format!(
            "\n  {} 个条码以图像发送 {} symbols were sent as images (GS1 QR or data the printer language cannot escape)",
            r.bitmap_fallbacks, r.bitmap_fallbacks
        ));
    }
    s
}

pub fn run(cli: &Cli, out: &Out, command: &PrinterCommand) -> app::Result<i32> {
    let app = open(cli)?;
    match command {
        PrinterCommand::List => {
            let profiles = app.printer_profiles()?;
            let printers = app.os_printers();
            let value = serde_json::json!({
                "profiles": profiles,
                "printers": printers.as_ref().ok(),
                "printersError": printers.as_ref().err(),
            });
            out.value(&value, || {
                let mut s = "打印机配置 printer profiles:".to_owned();
                for p in &profiles {
                    s.push_str(&format!("\n  {}", profile_line(p)));
                }
                match &printers {
                    Ok(list) if list.is_empty() => {
                        s.push_str("\n本机打印机 printers here: （无 none）")
                    }
                    Ok(list) => {
                        s.push_str("\n本机打印机 printers here:");
                        for p in list {
                            s.push_str(&format!("\n  {p}"));
                        }
                    }
                    Err(e) => s.push_str(&format!(
                        "\n本机打印机 printers here: {}（{}）",
                        e.message_zh, e.message_en
                    )),
                }
                s
            });
            Ok(0)
        }
        PrinterCommand::Add(a) => {
            let (w, h) = pair::<f32>(&a.label_size, "标签尺寸", "the label size")?;
            let (x, y) = offset(&a.offset)?;
            let saved = app.save_printer_profile(&app::PrinterProfileDto {
                name: a.name.clone(),
                language: language_dto(a.language),
                dpi: a.dpi,
                label_width_mm: w,
                label_height_mm: h,
                gap_mm: a.gap,
                offset_x_mm: x,
                offset_y_mm: y,
                barcode: barcode_dto(a.barcode),
                printer: a.printer.clone(),
                built_in: false,
            })?;
            out.value(&saved, || format!("已保存 saved: {}", profile_line(&saved)));
            Ok(0)
        }
        PrinterCommand::Remove { name } => {
            app.delete_printer_profile(name)?;
            out.value(&serde_json::json!({ "removed": name }), || {
                format!("已删除 removed: {name}")
            });
            Ok(0)
        }
        PrinterCommand::Test {
            name,
            out: path,
            printer,
        } => {
            let result = app.print_test_label(&app::TestLabelInput {
                profile: name.clone(),
                format: None,
                printer: printer.clone(),
                path: path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                font_path: None,
            })?;
            out.value(&result, || result_text(&result));
            Ok(0)
        }
    }
}

/// `tracedesk label --format zpl|tspl|pdf-label` (or with `--profile`/`--printer`/`--dpi`).
pub fn print(cli: &Cli, out: &Out, a: &LabelArgs, format: Option<LabelFormat>) -> app::Result<i32> {
    let app = open(cli)?;
    let format = format.map(|f| match f {
        LabelFormat::Tspl => app::PrintFormat::Tspl,
        LabelFormat::PdfLabel => app::PrintFormat::PdfLabel,
        _ => app::PrintFormat::Zpl,
    });
    // The profile: the saved one named, else the built-in default of the language asked for;
    // then the flags given on the command line.
    let mut profile = match &a.profile {
        Some(name) => app.printer_profile(name)?,
        None => {
            let language = match format {
                Some(app::PrintFormat::Zpl) => app::PrinterLanguageDto::Zpl,
                _ => app::PrinterLanguageDto::Tspl,
            };
            app.printer_profiles()?
                .into_iter()
                .find(|p| p.built_in && p.language == language)
                .or_else(|| {
                    app.printer_profiles()
                        .ok()?
                        .into_iter()
                        .find(|p| p.language == language)
                })
                .ok_or_else(|| {
                    bad_input(
                        "请用 --profile 指定打印机配置".to_owned(),
                        "name a printer profile with --profile".to_owned(),
                    )
                })?
        }
    };
    if let Some(size) = &a.label_size {
        let (w, h) = pair::<f32>(size, "标签尺寸", "the label size")?;
        profile.label_width_mm = w;
        profile.label_height_mm = h;
    }
    if let Some(dpi) = a.dpi {
        profile.dpi = dpi;
    }
    if let Some(gap) = a.gap {
        profile.gap_mm = gap;
    }
    if let Some(text) = &a.offset {
        let (x, y) = offset(text)?;
        profile.offset_x_mm = x;
        profile.offset_y_mm = y;
    }
    if let Some(b) = a.barcode {
        profile.barcode = barcode_dto(b);
    }
    let result = app.print_labels(&app::PrintLabelsInput {
        allocation_id: None,
        input_path: a.input_path(),
        codes: Vec::new(),
        symbology: symbology_of(a.symbology),
        profile: profile.name.clone(),
        custom_profile: Some(profile),
        format,
        printer: Some(a.printer.clone().unwrap_or_default()),
        path: a.out_path(),
        font_path: a.font_path(),
    })?;
    out.value(&result, || result_text(&result));
    Ok(0)
}

/// `tracedesk label --format csv|xlsx`: the label data for BarTender / NiceLabel.
pub fn label_data(cli: &Cli, out: &Out, a: &LabelArgs) -> app::Result<i32> {
    let app = open(cli)?;
    let result = app.export_label_data(&app::LabelDataExportInput {
        allocation_id: None,
        input_path: a.input_path(),
        codes: Vec::new(),
        path: a.out_path(),
        format: Some(match a.format {
            Some(LabelFormat::Xlsx) => app::ExportFormat::Xlsx,
            _ => app::ExportFormat::Csv,
        }),
    })?;
    out.value(&result, || {
        format!(
            "已写出 {} 行标签数据 Wrote {} rows of label data → {}\n  列 columns: {}",
            result.rows,
            result.rows,
            result.path,
            result.columns.join(", ")
        )
    });
    Ok(0)
}

//! `tracedesk catalogue …`: the catalogues in use (目录与数据), and loading a newer file without a
//! new release. Works on the data folder's catalogues; the database is not opened.

use std::path::PathBuf;

use clap::Subcommand;

use crate::output::{self, Out};
use crate::{Cli, config};

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// 列出在用的目录及其版本 list the catalogues in use and their versions
    List,
    /// 检查目录文件：错误（含行号），或与在用版本相比增删改了哪些行；无效时退出码为 1
    /// check a catalogue file: its errors with line numbers, or the rows it adds, removes and
    /// changes against the version in use; exit code 1 when it cannot be loaded
    Check { file: PathBuf },
    /// 加载更新版本的目录文件（复制到数据文件夹，立即生效） load a newer catalogue file (copied
    /// into the data folder, in use at once)
    Load { file: PathBuf },
    /// 恢复随软件提供的目录 go back to the shipped catalogue: ccc_catalogue, product_catalogue,
    /// rec20_units
    Revert { name: String },
}

fn version_line(v: &app::CatalogueVersion) -> String {
    let origin = if v.origin == "loaded" {
        "已加载 loaded"
    } else {
        "随软件 shipped"
    };
    let mut line = format!(
        "{} {} ({})  版本 version {}  {} 行 rows  {origin}",
        v.title_zh, v.title_en, v.name, v.version, v.rows
    );
    if let Some(path) = &v.path {
        line.push_str(&format!("\n  文件 file: {path}"));
    }
    if let (Some(zh), Some(en)) = (&v.ignored_zh, &v.ignored_en) {
        line.push_str(&format!(
            "\n  数据文件夹中的文件未使用 file in the data folder not used: {zh}（{en}）"
        ));
    }
    line.push_str(&format!("\n  来源 source: {}", v.source));
    line
}

fn preview_text(p: &app::CataloguePreview) -> String {
    let mut out = Vec::new();
    if p.valid {
        out.push(format!(
            "可以加载 can be loaded: {} 版本 version {} (在用 in use {})",
            p.name,
            p.version.as_deref().unwrap_or("-"),
            p.current_version.as_deref().unwrap_or("-")
        ));
    } else {
        out.push(format!(
            "不能加载 cannot be loaded: {} 处问题 problem(s)",
            p.errors.len()
        ));
        for e in &p.errors {
            out.push(format!("  {}（{}）", e.message_zh, e.message_en));
        }
    }
    if p.version.is_some() {
        out.push(format!(
            "新增 added {}，删除 removed {}，修改 changed {}",
            p.added, p.removed, p.changed
        ));
        for e in &p.examples {
            out.push(format!(
                "  {} {}: {} → {}",
                e.change,
                e.key,
                e.before.as_deref().unwrap_or("-"),
                e.after.as_deref().unwrap_or("-")
            ));
        }
    }
    out.join("\n")
}

fn print<T: serde::Serialize>(out: &Out, value: &T, text: String) {
    if out.json() {
        output::line(&serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        output::line(&text);
    }
}

pub fn run(cli: &Cli, out: &Out, command: &CatalogueCommand) -> app::Result<i32> {
    let catalogues = app::catalogues::Catalogues::load(&config(cli).data_dir);
    match command {
        CatalogueCommand::List => {
            let versions = catalogues.versions();
            let text = versions.iter().map(version_line).collect::<Vec<_>>();
            print(out, &versions, text.join("\n"));
            Ok(0)
        }
        CatalogueCommand::Check { file } => {
            let preview = catalogues.preview(file)?;
            print(out, &preview, preview_text(&preview));
            Ok(if preview.valid { 0 } else { 1 })
        }
        CatalogueCommand::Load { file } => {
            let v = catalogues.install(file)?;
            print(out, &v, format!("已加载 loaded: {}", version_line(&v)));
            Ok(0)
        }
        CatalogueCommand::Revert { name } => {
            let v = catalogues.revert(name)?;
            print(out, &v, format!("已恢复 reverted: {}", version_line(&v)));
            Ok(0)
        }
    }
}

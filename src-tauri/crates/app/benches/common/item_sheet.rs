//! The 一物一码 item sheet the import benchmarks read: `rows` items of ten GTINs, as a coder's
//! export would list them.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The sheet's name.
pub const SHEET: &str = "一物一码";

/// The ten GTINs the items carry (with their check digits).
pub fn gtins() -> Vec<String> {
    (0..10)
        .map(|i| codes::gs1::check_digit::complete(&format!("95201234567{i}")).expect("digits"))
        .collect()
}

/// The item sheet: GTIN, lot, serial, date and six columns the import does not need.
pub fn generate_items(path: &Path, rows: u32) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    ws.set_name(SHEET).expect("name");
    let headers = [
        "商品条码",
        "生产批号",
        "序列号",
        "生产日期",
        "产品名称",
        "规格型号",
        "颜色",
        "操作员",
        "工位",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let gtins = gtins();
    for r in 1..=rows {
        let i = r as usize;
        ws.write_string(r, 0, &gtins[i % 10]).expect("gtin");
        ws.write_string(r, 1, format!("2025{:04}", i / 1000))
            .expect("lot");
        ws.write_string(r, 2, format!("{i:08}")).expect("serial");
        let day = ExcelDateTime::from_ymd(2025, 3, (i % 28 + 1) as u8).expect("date");
        ws.write_datetime_with_format(r, 3, &day, &date)
            .expect("date");
        ws.write_string(r, 4, "电热水壶").expect("name");
        ws.write_string(r, 5, "SWF-17E").expect("model");
        ws.write_string(
            r,
            6,
            if i.is_multiple_of(2) {
                "白色"
            } else {
                "黑色"
            },
        )
        .expect("colour");
        ws.write_string(r, 7, format!("操作员{}", i % 7))
            .expect("operator");
        ws.write_number(r, 8, (i % 12) as f64).expect("station");
        ws.write_string(r, 9, "").expect("note");
    }
    wb.save(path).expect("save");
}

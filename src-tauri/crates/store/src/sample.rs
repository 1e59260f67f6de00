//! A realistic, deterministic data set for benchmarks and demos (`tracedesk dev generate`).
//!
//! Shape: a few hundred suppliers and customers, some dozens of products (about 40 % coded 一物一码),
//! material receipts spread over two years, production batches each consuming one to four lots
//! received shortly before, serialised items for the item-coded batches, and shipments of earlier
//! batches to customers. Written in one [`Db::bulk_write`], so the audit log gets one summary entry
//! per table rather than a JSON copy of every row.

use rusqlite::{Transaction, params};
use time::{Date, Duration};

use crate::{Db, Result};

/// How much to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSpec {
    pub items: u64,
    pub batches: u64,
    pub receipts: u64,
    pub shipments: u64,
    pub suppliers: u64,
    pub customers: u64,
    pub products: u64,
    pub seed: u64,
    /// The last day of the data; it spans the two years before.
    pub end: Date,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleCounts {
    pub parties: u64,
    pub products: u64,
    pub receipts: u64,
    pub batches: u64,
    pub batch_inputs: u64,
    pub items: u64,
    pub shipments: u64,
    pub shipment_lines: u64,
}

/// splitmix64: small, fast, good enough to spread sample data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

const MATERIALS: &[(&str, &str, &str)] = &[
    ("燃气阀", "DN15", "个"),
    ("不锈钢面板", "0.8mm", "kg"),
    ("铜芯导线", "2.5mm²", "m"),
    ("PVC 绝缘料", "H-70", "kg"),
    ("锂电池电芯", "18650-2600mAh", "只"),
    ("电机", "48V-350W", "台"),
    ("钢丝", "Φ6.5", "t"),
    ("燃烧器", "JZ-4.2kW", "个"),
    ("点火针", "IG-02", "个"),
    ("软管", "Φ9.5×1.5m", "根"),
    ("控制板", "PCB-A3", "块"),
    ("包装箱", "560×420×150", "个"),
];

const PRODUCTS: &[(&str, &str, &str, &str)] = &[
    ("家用燃气灶", "JZT", "KP-GAS-03", "台"),
    ("燃气用具连接用软管", "RG", "KP-GAS-01", "根"),
    ("燃气紧急切断阀", "QF", "KP-GAS-02", "个"),
    ("瓶装液化石油气调压器", "TY", "KP-GAS-05", "个"),
    ("聚氯乙烯绝缘电线", "BV", "CCC-0105", "卷"),
    ("电动自行车", "TDT", "KP-EBIKE", "辆"),
    ("插头插座", "PS", "CCC-0201", "个"),
    ("冷轧带肋钢筋", "CRB", "KP-STEEL", "t"),
];

/// One request and its response in the archive at `at` (RFC 3339), as a submission run writes
/// them: a batch of no records posted in attempt 1. What the backup and restore tests and demos
/// alter in a copy.
pub fn archive_exchange(tx: &Transaction<'_>, at: &str) -> Result<()> {
    for direction in ["request", "response"] {
        crate::archive::append(
            tx,
            &crate::archive::NewEntry {
                at: at.into(),
                direction: direction.into(),
                attempt_id: Some(1),
                method: "POST".into(),
                endpoint: "/api/v1/records:batch".into(),
                headers: "{}".into(),
                body: r#"{"records":[]}"#.into(),
                ..Default::default()
            },
        )?;
    }
    Ok(())
}

/// GS1 mod-10 check digit of `body` (digits only).
fn check_digit(body: &str) -> u32 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

const DAYS: i64 = 730;

pub fn generate(db: &mut Db, spec: &SampleSpec) -> Result<SampleCounts> {
    let counts = db.bulk_write("generated sample data", |tx| write(tx, spec))?;
    // Statistics for the query planner on the freshly filled tables.
    db.conn().execute_batch("ANALYZE")?;
    Ok(counts)
}

fn write(tx: &Transaction<'_>, spec: &SampleSpec) -> Result<SampleCounts> {
    let mut rng = Rng(spec.seed);
    let mut counts = SampleCounts::default();
    let start = spec.end - Duration::days(DAYS - 1);
    let day = |n: u64| start + Duration::days(n as i64);

    // Parties.
    let mut party = tx.prepare(
        "INSERT INTO party (kind, name, address, contact, phone) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut suppliers = Vec::new();
    for n in 0..spec.suppliers.max(1) {
        party.execute(params![
            "supplier",
            format!("示例供应商{n:04}有限公司"),
            format!("浙江省宁波市示例路 {n} 号"),
            format!("供应联系人{n}"),
            format!("0574-{:08}", 60_000_000 + n)
        ])?;
        suppliers.push(tx.last_insert_rowid());
    }
    let mut customers = Vec::new();
    for n in 0..spec.customers.max(1) {
        party.execute(params![
            "customer",
            format!("示例客户{n:04}商贸有限公司"),
            format!("上海市示例区客户路 {n} 号"),
            format!("采购经理{n}"),
            format!("138{:08}", 10_000_000 + n)
        ])?;
        customers.push(tx.last_insert_rowid());
    }
    counts.parties = (suppliers.len() + customers.len()) as u64;

    // Products: GTIN-13 from the demonstration company prefix 6901234 (domain.md §A.1).
    let mut product = tx.prepare(
        "INSERT INTO product (name, model, category, brand, standard, gtin, scheme, granularity,
             ccc_cert_no, ccc_valid_from, ccc_valid_to)
         VALUES (?1, ?2, ?3, '示例', '', ?4, 'gs1', ?5, ?6, ?7, ?8)",
    )?;
    let mut products: Vec<(i64, bool, &str)> = Vec::new();
    for n in 0..spec.products.max(1) {
        let (name, model, category, unit) = PRODUCTS[n as usize % PRODUCTS.len()];
        let body = format!("6901234{:05}", n + 1);
        let gtin = format!("{body}{}", check_digit(&body));
        let item_coded = n % 5 < 2;
        let ccc = category.starts_with("CCC-");
        product.execute(params![
            name,
            format!("{model}-{}", n + 1),
            category,
            gtin,
            if item_coded { "item" } else { "batch" },
            ccc.then(|| format!("2023010{}{:06}", &category[4..], n + 1)),
            ccc.then(|| "2023-01-01".to_string()),
            ccc.then(|| "2028-12-31".to_string())
        ])?;
        products.push((tx.last_insert_rowid(), item_coded, unit));
    }
    counts.products = products.len() as u64;

    // Receipts, in date order.
    let mut receipt = tx.prepare(
        "INSERT INTO receipt (supplier_id, material, spec, supplier_lot, quantity, unit, received_on,
             inspection_result, report_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let receipts_n = spec.receipts.max(1);
    // (id, day index)
    let mut receipts: Vec<(i64, u64)> = Vec::with_capacity(receipts_n as usize);
    for n in 0..receipts_n {
        let d = n * (DAYS as u64) / receipts_n;
        let (material, mspec, unit) = MATERIALS[rng.below(MATERIALS.len() as u64) as usize];
        let result = if rng.chance(10) {
            "fail"
        } else if rng.chance(20) {
            "pending"
        } else {
            "pass"
        };
        receipt.execute(params![
            suppliers[rng.below(suppliers.len() as u64) as usize],
            material,
            mspec,
            format!("S{}-{n:06}", compact(day(d))),
            (100 + rng.below(4900)) as f64,
            unit,
            iso(day(d)),
            result,
            format!("IQC-{n:06}")
        ])?;
        receipts.push((tx.last_insert_rowid(), d));
    }
    counts.receipts = receipts.len() as u64;

    // Batches, in date order, each consuming 1–4 lots received in the 60 days before.
    let mut batch = tx.prepare(
        "INSERT INTO batch (product_id, lot_no, produced_on, quantity, unit, inspection_result,
             inspector, report_no)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut input = tx.prepare(
        "INSERT OR IGNORE INTO batch_input (batch_id, receipt_id, quantity) VALUES (?1, ?2, ?3)",
    )?;
    let batches_n = spec.batches.max(1);
    // (id, day index, item coded, quantity)
    let mut batches: Vec<(i64, u64, bool, f64)> = Vec::with_capacity(batches_n as usize);
    let mut seq_day = u64::MAX;
    let mut seq = 0;
    for n in 0..batches_n {
        let d = n * (DAYS as u64) / batches_n;
        if d != seq_day {
            seq_day = d;
            seq = 0;
        }
        seq += 1;
        let (product_id, item_coded, unit) = products[rng.below(products.len() as u64) as usize];
        let quantity = (10 + rng.below(190)) as f64;
        let result = if rng.chance(5) {
            "fail"
        } else if rng.chance(10) {
            "pending"
        } else {
            "pass"
        };
        batch.execute(params![
            product_id,
            format!("B{}-{seq}", compact(day(d))),
            iso(day(d)),
            quantity,
            unit,
            result,
            "质检员",
            format!("FQC-{n:07}")
        ])?;
        let id = tx.last_insert_rowid();
        // Lots received up to 60 days before (or the first lots, at the very start).
        let hi = receipts.partition_point(|(_, rd)| *rd <= d).max(1);
        let lo = receipts[..hi]
            .partition_point(|(_, rd)| rd + 60 < d)
            .min(hi - 1);
        for _ in 0..(1 + rng.below(4)) {
            let (rid, _) = receipts[(lo + rng.below((hi - lo) as u64) as usize).min(hi - 1)];
            counts.batch_inputs +=
                input.execute(params![id, rid, (1 + rng.below(50)) as f64])? as u64;
        }
        batches.push((id, d, item_coded, quantity));
    }
    counts.batches = batches.len() as u64;

    // Items, spread over the item-coded batches.
    let coded: Vec<usize> = (0..batches.len()).filter(|&i| batches[i].2).collect();
    let mut item = tx.prepare("INSERT INTO item (batch_id, serial) VALUES (?1, ?2)")?;
    // Item ids per batch index, for item-level shipment lines: (first id, count).
    let mut item_ids: Vec<(i64, u64)> = vec![(0, 0); batches.len()];
    if !coded.is_empty() {
        let per = spec.items / coded.len() as u64;
        let extra = spec.items % coded.len() as u64;
        let mut serial = 0u64;
        for (k, &bi) in coded.iter().enumerate() {
            let n = per + u64::from((k as u64) < extra);
            for j in 0..n {
                serial += 1;
                item.execute(params![batches[bi].0, format!("{serial:012}")])?;
                if j == 0 {
                    item_ids[bi] = (tx.last_insert_rowid(), n);
                }
            }
        }
        counts.items = serial;
    }

    // Shipments of batches produced in the 30 days before, to random customers.
    let mut shipment = tx.prepare(
        "INSERT INTO shipment (customer_id, shipped_on, delivery_note_no) VALUES (?1, ?2, ?3)",
    )?;
    let mut line = tx.prepare(
        "INSERT INTO shipment_line (shipment_id, batch_id, item_id, quantity) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let shipments_n = spec.shipments;
    let mut seq_day = u64::MAX;
    let mut seq = 0;
    for n in 0..shipments_n {
        let d = n * (DAYS as u64) / shipments_n.max(1);
        if d != seq_day {
            seq_day = d;
            seq = 0;
        }
        seq += 1;
        shipment.execute(params![
            customers[rng.below(customers.len() as u64) as usize],
            iso(day(d)),
            format!("D{}-{seq:03}", compact(day(d)))
        ])?;
        let sid = tx.last_insert_rowid();
        let hi = batches.partition_point(|b| b.1 <= d).max(1);
        let lo = batches[..hi].partition_point(|b| b.1 + 30 < d).min(hi - 1);
        for _ in 0..(1 + rng.below(3)) {
            let bi = (lo + rng.below((hi - lo) as u64) as usize).min(hi - 1);
            let (bid, _, item_coded, quantity) = batches[bi];
            let (first, count) = item_ids[bi];
            if item_coded && count > 0 && rng.chance(200) {
                // A few item-level lines: scanned serials.
                for k in 0..count.min(3) {
                    line.execute(params![sid, bid, first + k as i64, 1.0])?;
                    counts.shipment_lines += 1;
                }
            } else {
                line.execute(params![
                    sid,
                    bid,
                    Option::<i64>::None,
                    (quantity / 4.0).ceil()
                ])?;
                counts.shipment_lines += 1;
            }
        }
    }
    counts.shipments = shipments_n;
    Ok(counts)
}

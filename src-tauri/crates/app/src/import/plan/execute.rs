//! Running a [`Plan`] in the commit's transaction: each planned record is created on its first
//! use, the rows' writes follow in row order.

use crate::messages::Msg;
use std::collections::HashSet;

use sheets::{RecordDraft, RowRead};
use store::Connection;

use super::{Created, Def, Plan, Result, Write};

/// Items go in this many to a statement.
const ITEM_CHUNK: usize = 256;

/// Runs a plan: the state of one execution.
struct Run<'a> {
    conn: &'a Connection,
    plan: &'a Plan,
    made: Vec<Option<i64>>,
    roles_done: HashSet<i64>,
    created: Created,
}

impl Run<'_> {
    /// The real id of a planned id, creating the record on its first use.
    fn id(&mut self, planned: i64) -> Result<i64> {
        if planned >= 0 {
            if let Some(role) = self.plan.roles.get(&planned)
                && self.roles_done.insert(planned)
            {
                store::parties::add_role(self.conn, planned, role)?;
            }
            return Ok(planned);
        }
        let index = (-planned - 1) as usize;
        if let Some(Some(id)) = self.made.get(index) {
            return Ok(*id);
        }
        let Some(def) = self.plan.defs.get(index) else {
            return Err(Msg::ImportPlanDangling.err());
        };
        let (table, id) = match def {
            Def::Party(f) => ("party", store::parties::insert(self.conn, f)?),
            Def::Product(f) => ("product", store::products::insert(self.conn, f)?),
            Def::Batch(f) => {
                let mut f = f.clone();
                f.product_id = self.id(f.product_id)?;
                ("batch", store::batches::insert(self.conn, &f, &[])?)
            }
            Def::Shipment(f) => {
                let mut f = f.clone();
                f.customer_id = self.id(f.customer_id)?;
                ("shipment", store::shipments::insert(self.conn, &f, &[])?)
            }
        };
        self.made[index] = Some(id);
        self.created.entry(table).or_default().push(id);
        Ok(id)
    }

    fn flush_items(&mut self, items: &mut Vec<(i64, &str)>) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let ids = store::imports::insert_items(self.conn, items)?;
        self.created.entry("item").or_default().extend(ids);
        items.clear();
        Ok(())
    }
}

impl Plan {
    /// Writes the rows `wanted` says (by row index), in row order, creating what they need;
    /// `tick` is called before each row written (progress and cancel). Returns what was created.
    pub fn execute(
        &self,
        conn: &Connection,
        rows: &[RowRead],
        wanted: &dyn Fn(usize) -> bool,
        tick: &mut dyn FnMut(usize) -> Result<()>,
    ) -> Result<Created> {
        let mut run = Run {
            conn,
            plan: self,
            made: vec![None; self.defs.len()],
            roles_done: HashSet::new(),
            created: Created::new(),
        };
        let mut items: Vec<(i64, &str)> = Vec::with_capacity(ITEM_CHUNK);
        for (index, write) in &self.writes {
            let index = *index as usize;
            if !wanted(index) {
                continue;
            }
            tick(index)?;
            match write {
                Write::Item { batch } => {
                    let batch = run.id(*batch)?;
                    let serial = match &rows[index].record {
                        RecordDraft::Item(d) => d.serial.as_deref().unwrap_or_default(),
                        _ => "",
                    };
                    items.push((batch, serial));
                    if items.len() == ITEM_CHUNK {
                        run.flush_items(&mut items)?;
                    }
                }
                Write::Party(f) => {
                    let id = store::parties::insert(conn, f)?;
                    run.created.entry("party").or_default().push(id);
                }
                Write::Product(f) => {
                    let id = store::products::insert(conn, f)?;
                    run.created.entry("product").or_default().push(id);
                }
                Write::Receipt(f, codes) => {
                    let mut f = (**f).clone();
                    f.supplier_id = run.id(f.supplier_id)?;
                    let id = store::receipts::insert(conn, &f)?;
                    store::receipts::set_codes(conn, id, codes)?;
                    run.created.entry("receipt").or_default().push(id);
                }
                Write::Batch(f, inputs) => {
                    let mut f = (**f).clone();
                    f.product_id = run.id(f.product_id)?;
                    let id = store::batches::insert(conn, &f, inputs)?;
                    run.created.entry("batch").or_default().push(id);
                }
                Write::ShipmentLine { shipment, line } => {
                    let shipment = run.id(*shipment)?;
                    store::imports::insert_shipment_line(conn, shipment, line)?;
                }
            }
        }
        run.flush_items(&mut items)?;
        Ok(run.created)
    }
}

//! 工作台: today's entries, submissions, failed inspections, expiring CCC certificates and the
//! last 30 days. Every number is a count of real records; what does not exist yet is 0 and
//! flagged (`submission_available`), never invented.

use time::{Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::batches::batch_summary;
use crate::entries::{iso, today};
use crate::products::product_dto;
use crate::{App, DashboardData, DayCount, Result};

impl App {
    pub fn dashboard(&self) -> Result<DashboardData> {
        let today = today();
        let entries = self.product_catalogue();
        let db = self.db();
        let conn = db.conn();
        // Midnight in China, as the UTC time stamps in created_at spell it.
        let china = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
        let midnight = PrimitiveDateTime::new(today, Time::MIDNIGHT)
            .assume_offset(china)
            .to_offset(UtcOffset::UTC);
        let since = format_utc(midnight);
        let (receipts_today, batches_today, shipments_today) =
            store::dashboard::entered_since(conn, &since)?;
        let (failed_receipts, failed_batches) = store::dashboard::failed_counts(conn)?;
        let failed_batch_list =
            store::batches::get_many(conn, &store::dashboard::failed_batches(conn, 10)?)?
                .into_iter()
                .rev()
                .map(batch_summary)
                .collect();
        let expiring_ccc = store::products::ccc_expiring(conn, &iso(today + Duration::days(60)))?
            .into_iter()
            .map(|row| product_dto(&entries, row))
            .collect();
        // Real counts from the submission feature: records the platform has not accepted yet, and
        // current versions it rejected.
        let unsubmitted = store::dashboard::unsubmitted(conn)?;
        let rejected = if unsubmitted.is_some() {
            store::outbox::rejected_everywhere(conn)?
        } else {
            0
        };
        let from = today - Duration::days(29);
        let per_day = store::dashboard::per_day(conn, &iso(from), &iso(today))?;
        let last_30_days = (0..30)
            .map(|i| {
                let date = iso(from + Duration::days(i));
                let (r, b, s) = per_day.get(&date).copied().unwrap_or_default();
                DayCount {
                    date,
                    receipts: r as u32,
                    batches: b as u32,
                    shipments: s as u32,
                }
            })
            .collect();
        Ok(DashboardData {
            today: iso(today),
            receipts_today: receipts_today as u32,
            batches_today: batches_today as u32,
            shipments_today: shipments_today as u32,
            submission_available: unsubmitted.is_some(),
            pending_submissions: unsubmitted.unwrap_or(0) as u32,
            failed_submissions: rejected as u32,
            failed_receipts: failed_receipts as u32,
            failed_batches: failed_batches as u32,
            failed_batch_list,
            expiring_ccc,
            last_30_days,
        })
    }
}

fn format_utc(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

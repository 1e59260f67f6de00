//! The tables shipped with the crate (`data/*.tsv`): `#` comment lines and blank lines are
//! skipped, the first other line is the header, and each line after it is one row.

/// A shipped table's rows, and what could not be read of it (a test keeps that empty).
pub(crate) struct DataTable<T> {
    pub rows: Vec<T>,
    pub load_errors: Vec<String>,
}

impl<T> DataTable<T> {
    /// Reads `text` a row at a time with `parse_row`; a row it refuses becomes a load error.
    pub(crate) fn load(
        text: &'static str,
        parse_row: impl Fn(&'static str) -> Result<T, String>,
    ) -> DataTable<T> {
        let mut table = DataTable {
            rows: Vec::new(),
            load_errors: Vec::new(),
        };
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
        {
            match parse_row(line) {
                Ok(row) => table.rows.push(row),
                Err(e) => table.load_errors.push(e),
            }
        }
        table
    }
}

//! `src/db/schema.rs` is written by hand in the shape `diesel print-schema` gives: this keeps
//! it true to what the migrations build.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Table {
    #[diesel(sql_type = Text)]
    name: String,
}

/// table -> column -> (diesel type as print-schema writes it)
/// (The full-text index `post_search` and its shadow tables are read with SQL, not Diesel.)
fn from_migrations() -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    let db = marginalia::db::Db::open(dir.path().join("schema.db").to_str().unwrap(), 1).unwrap();
    db.read_now(|c| {
        let tables: Vec<Table> = diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name != '__diesel_schema_migrations' AND name NOT LIKE 'post_search%' ORDER BY name",
        )
        .load(c)?;
        let mut all = BTreeMap::new();
        for table in tables {
            let columns: Vec<Column> =
                diesel::sql_query(format!("PRAGMA table_info({})", table.name)).load(c)?;
            let columns = columns
                .into_iter()
                .map(|col| {
                    let base = match col.r#type.to_ascii_uppercase().as_str() {
                        "INTEGER" => "Integer",
                        "BIGINT" => "BigInt",
                        "TEXT" => "Text",
                        "TIMESTAMP" => "Timestamp",
                        "BOOLEAN" => "Bool",
                        "BLOB" => "Binary",
                        other => panic!("{}.{}: type {other} has no mapping here", table.name, col.name),
                    };
                    // SQLite lets an INTEGER PRIMARY KEY be declared without NOT NULL.
                    let nullable = col.notnull == 0 && col.pk == 0;
                    (col.name, if nullable { format!("Nullable<{base}>") } else { base.to_string() })
                })
                .collect();
            all.insert(table.name, columns);
        }
        Ok(all)
    })
    .unwrap()
}

fn from_schema_rs() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/schema.rs")).unwrap();
    let mut all = BTreeMap::new();
    let mut current: Option<(String, BTreeMap<String, String>)> = None;
    for line in text.lines().map(str::trim) {
        if let Some((name, rest)) = line.split_once(" (") {
            if rest.ends_with(") {") && !name.contains(' ') {
                current = Some((name.to_string(), BTreeMap::new()));
                continue;
            }
        }
        if let Some((_, columns)) = current.as_mut() {
            if let Some((column, ty)) = line.trim_end_matches(',').split_once(" -> ") {
                columns.insert(column.trim_start_matches("r#").to_string(), ty.to_string());
                continue;
            }
            if line == "}" {
                let (name, columns) = current.take().unwrap();
                all.insert(name, columns);
            }
        }
    }
    all
}

#[test]
fn schema_matches_the_migrations() {
    let migrated = from_migrations();
    let declared = from_schema_rs();
    assert!(migrated.len() > 10, "expected the migrations to build the tables: {migrated:?}");
    assert_eq!(
        migrated.keys().collect::<Vec<_>>(),
        declared.keys().collect::<Vec<_>>(),
        "tables in the migrations vs src/db/schema.rs"
    );
    for (table, columns) in &migrated {
        assert_eq!(columns, &declared[table], "columns of `{table}` in the migrations vs src/db/schema.rs");
    }
}

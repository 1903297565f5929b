//! `fairpanel audit` on a database after a whole round through the service: a
//! draw with a decline, scoring with a screen override, a recusal and a
//! reopened sheet, the seal and the disclosure. Each class of row the log
//! protects is changed in turn and the audit must name it; then a seeded
//! campaign of single-byte mutations of every protected column.

use super::draws::{Api, app, setup};
use super::http::{Server, token_for};
use super::*;
use fairpanel::store::Store;
use fairpanel_core::types::Province;
use serde_json::json;

/// A whole round through the service; returns (round id, draw id).
pub async fn whole_round(srv: &Server) -> (i64, String) {
    let coord = Api {
        srv,
        token: token_for(srv, "gd-coord", "coordinator", Some("440000")).await,
    };
    let base = "/api/v1/provinces/440000";
    let rid = coord.open_round("base_new", "评审").await;
    let mut small = app("B1", "小单位");
    small["figures"]["annual_trainees"] = json!(1500);
    for a in [app("A1", "甲单位"), app("A2", "乙单位"), small] {
        let (st, v) = coord
            .post(&format!("{base}/rounds/{rid}/applications"), a)
            .await;
        assert_eq!(st, 201, "{v}");
    }
    let draw = coord.revealed_draw(rid, 5, 2).await;
    // A material, fixed when scoring opens.
    let gd = Province::try_from("440000").unwrap();
    let r = srv.state.store.round(&gd, rid).await.unwrap().unwrap();
    srv.state
        .workflow()
        .add_material(&r, "A1", "申报表.pdf", b"%PDF-1.7\n%%EOF\n", 1)
        .await
        .unwrap();
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/advance"),
            json!({"to": "scoring"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (_, full) = coord.get(&format!("{base}/draws/{draw}")).await;
    let leaver = full["panel"][4]["expert_id"].as_str().unwrap().to_string();
    let (st, v) = coord
        .post(
            &format!("{base}/draws/{draw}/declines"),
            json!({"expert_id": leaver, "reason": "conflict_of_interest"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/applications/B1/override"),
            json!({"reason": "疫情期间培训量下降，经省厅研究同意参评"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (_, full) = coord.get(&format!("{base}/draws/{draw}")).await;
    let panel: Vec<String> = full["panel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["expert_id"].as_str().unwrap().to_string())
        .collect();
    let p = Province::try_from("440000").unwrap();
    let wf = srv.state.workflow();
    let r = srv.state.store.round(&p, rid).await.unwrap().unwrap();
    let (rubric, _) = wf.rubric(&r).await.unwrap();
    let pledge = wf.pledge_view(&r, None).await.unwrap().hash;
    let last = panel.len() - 1;
    for (k, e) in panel.iter().enumerate() {
        wf.pledge(&r, e, 1, &pledge, &[]).await.unwrap();
        for a in ["A1", "A2", "B1"] {
            if k == 0 && a == "A2" {
                wf.recuse(&r, e, 1, a, "曾在该单位任职").await.unwrap();
            } else {
                let mut s = fairpanel::scores::sample_sheet(&rubric, a, k);
                if k == last && a == "B1" {
                    // A total far below the others': the lock asks for an
                    // explanation.
                    for (sc, ind) in s.scores.iter_mut().zip(&rubric.indicators) {
                        if !ind.objective {
                            sc.points = rust_decimal::Decimal::ZERO;
                        }
                    }
                }
                wf.submit(&r, e, 1, &s).await.unwrap();
            }
        }
        if k == 1 {
            // Reopened (and submitted again) before the last sheet locks.
            wf.reopen(&r, "A1", &panel[1], 1, "笔误，专家申请更正")
                .await
                .unwrap();
            let s = fairpanel::scores::sample_sheet(&rubric, "A1", 7);
            wf.submit(&r, &panel[1], 1, &s).await.unwrap();
        }
    }
    wf.explain(&r, &panel[last], 1, "B1", "现场核查发现培训记录与申报不符")
        .await
        .unwrap();
    let (st, v) = coord
        .post(
            &format!("{base}/rounds/{rid}/advance"),
            json!({"to": "closed"}),
        )
        .await;
    assert_eq!(st, 200, "{v}");
    let (st, v) = coord
        .post(&format!("{base}/draws/{draw}/disclose"), json!({}))
        .await;
    assert_eq!(st, 200, "{v}");
    (rid, draw)
}

async fn audit(srv: &Server) -> Vec<String> {
    fairpanel::audit::run(
        &srv.state.store,
        &srv.state.key.public(),
        "test.example/log",
    )
    .await
    .unwrap()
    .problems
    .iter()
    .map(|p| p.to_string())
    .collect()
}

async fn exec(store: &Store, sql: &str) -> u64 {
    fairpanel::with_pool!(store, p => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(p).await.unwrap().rows_affected())
}

/// Reads one text cell, to put it back after a mutation.
async fn text_cell(store: &Store, table: &str, col: &str, cond: &str) -> String {
    let sql = format!("SELECT {col} FROM {table} WHERE {cond}");
    let (v,): (String,) = fairpanel::with_pool!(store, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_one(p).await.unwrap());
    v
}

async fn put_text(store: &Store, table: &str, col: &str, cond: &str, v: &str) {
    let sql = format!("UPDATE {table} SET {col} = $1 WHERE {cond}");
    fairpanel::with_pool!(store, p => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(v.to_string()).execute(p).await.map(|_| ()).unwrap());
}

/// Every class of protected row, changed in turn (and put back): the audit
/// names the table, the row and what differs. Both backends.
#[tokio::test]
async fn audit_names_every_mutation_class_after_a_whole_round() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let (rid, draw) = whole_round(&srv).await;
        let store = &srv.state.store;
        assert_eq!(audit(&srv).await, Vec::<String>::new(), "{}", db.name);
        // The service's own bundle verifies, recusal and reopening included.
        let size = store.log_size().await.unwrap();
        let kinds: Vec<String> = store
            .entries(0, size)
            .await
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{:?}",
                    fairpanel_core::entry::parse(&e.bytes).unwrap().entry.kind
                )
            })
            .collect();
        for k in [
            "Recusal",
            "SheetReopen",
            "ScreenOverride",
            "Seal",
            "Decline",
        ] {
            assert!(kinds.iter().any(|x| x == k), "{}: no {k}", db.name);
        }
        let (ex,): (String,) = fairpanel::with_pool!(store, p => sqlx::query_as(
            "SELECT expert_id FROM sheets WHERE state = 'recused'").fetch_one(p).await.unwrap());
        let (sub,): (String,) = fairpanel::with_pool!(store, p => sqlx::query_as(
            "SELECT expert_id FROM sheets WHERE state = 'submitted' AND ref_no = 'A2' ORDER BY expert_id LIMIT 1").fetch_one(p).await.unwrap());
        let (leaver,): (String,) = fairpanel::with_pool!(store, p => sqlx::query_as(
            "SELECT expert_id FROM draw_members WHERE role = 'declined'").fetch_one(p).await.unwrap());
        // (table, column, row, SQL expression of the new value, finding).
        let r = format!("round_id = {rid}");
        let d = format!("id = '{draw}'");
        let cases: Vec<(&str, &str, String, String, &str)> = vec![
            (
                "screen_overrides",
                "reason",
                r.clone(),
                "reason || '。'".into(),
                "screen_overrides round",
            ),
            (
                "screen_overrides",
                "ref_no",
                r.clone(),
                "'A2'".into(),
                "screen_overrides round",
            ),
            (
                "draws",
                "ever",
                d.clone(),
                "panel".into(),
                "column ever differs",
            ),
            (
                "draws",
                "spec",
                d.clone(),
                "replace(spec, '\"panel\":5', '\"panel\":3')".into(),
                "column spec differs",
            ),
            (
                "draws",
                "request",
                d.clone(),
                "replace(request, '抽取', '抽签')".into(),
                "column request differs",
            ),
            (
                "draw_pools",
                "experts",
                format!("draw_id = '{draw}'"),
                format!("replace(experts, '{ex}', '{sub}')"),
                "the experts column says",
            ),
            (
                "draw_members",
                "role",
                format!("draw_id = '{draw}' AND expert_id = '{leaver}'"),
                "'panel'".into(),
                "draw_members",
            ),
            (
                "draw_members",
                "expert_id",
                format!("draw_id = '{draw}' AND role = 'panel' AND position = 0"),
                "'x'".into(),
                "draw_members",
            ),
            (
                "sheets",
                "state",
                format!("{r} AND ref_no = 'A2' AND expert_id = '{ex}'"),
                "'draft'".into(),
                "the log says \"recused\"",
            ),
            (
                "sheets",
                "state",
                format!("{r} AND ref_no = 'A2' AND expert_id = '{sub}'"),
                "'recused'".into(),
                "the log says \"submitted\"",
            ),
            (
                "sheets",
                "expert_id",
                format!("{r} AND ref_no = 'A2' AND expert_id = '{sub}'"),
                format!("'{leaver}'"),
                "the log says \"draft\"",
            ),
            (
                "sheets",
                "total",
                format!("{r} AND ref_no = 'A2' AND expert_id = '{sub}'"),
                "'99.00'".into(),
                "is not the committed sheet's total",
            ),
            (
                "sheet_history",
                "action",
                format!("{r} AND ref_no = 'A2' AND expert_id = '{ex}'"),
                "'reopen'".into(),
                "sheet_history",
            ),
            (
                "sheet_history",
                "expert_id",
                format!("{r} AND action = 'reopen'"),
                // The leaver scored nothing: never the reopened sheet's scorer.
                format!("'{leaver}'"),
                "sheet_history",
            ),
            (
                "explanations",
                "sheet_hash",
                r.clone(),
                "'00'".into(),
                "that no explanation entry of the round names",
            ),
            (
                "rounds",
                "panel_draw",
                format!("id = {rid}"),
                "'x'".into(),
                "column panel_draw",
            ),
            (
                "rounds",
                "state",
                format!("id = {rid}"),
                "'scoring'".into(),
                "column state",
            ),
            (
                "round_rubrics",
                "rubric",
                r.clone(),
                "replace(rubric, '\"max_points\":\"', '\"max_points\":\"1')".into(),
                "not the one scoring_open",
            ),
            (
                "applications",
                "ref_no",
                format!("{r} AND ref_no = 'A2'"),
                "'A9'".into(),
                "the row's record names",
            ),
            (
                "materials",
                "media_type",
                r.clone(),
                "'image/png'".into(),
                "not those scoring_open",
            ),
            (
                "round_pledges",
                "text",
                r.clone(),
                "text || '。'".into(),
                "not the one scoring_open",
            ),
            (
                "pledges",
                "text_hash",
                format!("{r} AND expert_id = '{sub}'"),
                "'00'".into(),
                "is not the pledge entry",
            ),
        ];
        for (table, col, cond, expr, want) in &cases {
            let before = text_cell(store, table, col, cond).await;
            let n = exec(
                store,
                &format!("UPDATE {table} SET {col} = {expr} WHERE {cond}"),
            )
            .await;
            assert_eq!(n, 1, "{}: {table}.{col} {cond}", db.name);
            let found = audit(&srv).await;
            assert!(
                found.iter().any(|f| f.contains(want)),
                "{}: {table}.{col} = {expr}: {found:?}",
                db.name
            );
            // A row picked by the column changed is found by its new value.
            let cond = cond.replace(&format!("{col} = '{before}'"), &format!("{col} = {expr}"));
            put_text(store, table, col, &cond, &before).await;
            assert_eq!(
                audit(&srv).await,
                Vec::<String>::new(),
                "{}: {table}.{col} put back",
                db.name
            );
        }
        // Integer columns.
        for (sql, undo, want) in [
            (
                format!("UPDATE rounds SET quota = quota + 1 WHERE id = {rid}"),
                format!("UPDATE rounds SET quota = quota - 1 WHERE id = {rid}"),
                "column quota",
            ),
            (
                format!(
                    "UPDATE draw_members SET position = position + 1 WHERE draw_id = '{draw}' AND role = 'declined'"
                ),
                format!(
                    "UPDATE draw_members SET position = position - 1 WHERE draw_id = '{draw}' AND role = 'declined'"
                ),
                "draw_members",
            ),
            (
                format!("UPDATE draws SET revealed_at = revealed_at + 1 WHERE id = '{draw}'"),
                format!("UPDATE draws SET revealed_at = revealed_at - 1 WHERE id = '{draw}'"),
                "column revealed_at",
            ),
            (
                format!("UPDATE screen_overrides SET seq = seq + 1 WHERE round_id = {rid}"),
                format!("UPDATE screen_overrides SET seq = seq - 1 WHERE round_id = {rid}"),
                "screen_overrides round",
            ),
            (
                format!(
                    "UPDATE sheet_history SET at = at + 1 WHERE round_id = {rid} AND action = 'reopen'"
                ),
                format!(
                    "UPDATE sheet_history SET at = at - 1 WHERE round_id = {rid} AND action = 'reopen'"
                ),
                "sheet_history",
            ),
        ] {
            assert_eq!(exec(store, &sql).await, 1, "{sql}");
            let found = audit(&srv).await;
            assert!(
                found.iter().any(|f| f.contains(want)),
                "{}: {sql}: {found:?}",
                db.name
            );
            exec(store, &undo).await;
            assert_eq!(
                audit(&srv).await,
                Vec::<String>::new(),
                "{}: {undo}",
                db.name
            );
        }
        // Deleted rows: a recusal, then the screen override.
        exec(
            store,
            &format!("DELETE FROM sheets WHERE {r} AND state = 'recused'"),
        )
        .await;
        let found = audit(&srv).await;
        assert!(
            found.iter().any(|f| f.contains("no row says so")),
            "{}: {found:?}",
            db.name
        );
        exec(store, &format!("DELETE FROM screen_overrides WHERE {r}")).await;
        let found = audit(&srv).await;
        assert!(
            found
                .iter()
                .any(|f| f.contains("no screen_overrides row says so")),
            "{}: {found:?}",
            db.name
        );
        // A malformed row is a finding, not a crash.
        exec(
            store,
            &format!(
                "UPDATE draw_pools SET openings = CAST('x' AS {}) WHERE draw_id = '{draw}'",
                if db.name == "postgres" {
                    "BYTEA"
                } else {
                    "BLOB"
                }
            ),
        )
        .await;
        let found = audit(&srv).await;
        assert!(
            found
                .iter()
                .any(|f| f.contains("the openings column does not parse")),
            "{}: {found:?}",
            db.name
        );
    }
}

/// One protected cell: table, column, the row's SQLite rowid, and its kind.
#[derive(Clone, Debug)]
struct Cell {
    table: &'static str,
    column: &'static str,
    rowid: i64,
    kind: CellKind,
}

#[derive(Clone, Debug)]
enum CellKind {
    Text(String),
    Blob(Vec<u8>),
    Int(i64),
}

/// The columns the log protects (ARCHITECTURE.md lists those left out, and
/// why), with their SQLite storage class.
type Columns = &'static [&'static str];

const PROTECTED: &[(&str, Columns, Columns, Columns)] = &[
    // (table, text columns, blob columns, integer columns)
    ("experts", &["expert_id", "province", "record"], &[], &[]),
    (
        "draws",
        &[
            "id",
            "province",
            "state",
            "request",
            "spec",
            "panel",
            "alternates",
            "ever",
        ],
        &["commit_hash", "secret"],
        &[
            "commit_seq",
            "commit_time",
            "entropy_deadline",
            "beacon_round",
            "revealed_at",
        ],
    ),
    (
        "draw_pools",
        &["draw_id", "experts"],
        &["leaves", "openings"],
        &[],
    ),
    (
        "draw_members",
        &["draw_id", "expert_id", "province", "role"],
        &[],
        &["position", "since"],
    ),
    (
        "log_entries",
        &["kind", "province", "draw"],
        &["bytes", "hash", "sig"],
        &["seq", "time"],
    ),
    (
        "rounds",
        &["province", "state", "panel_draw"],
        &[],
        &["id", "year", "quota", "already_recommended"],
    ),
    ("round_rubrics", &["rubric"], &[], &["round_id", "fixed_at"]),
    ("applications", &["ref_no"], &[], &["round_id"]),
    (
        "screen_overrides",
        &["ref_no", "reason"],
        &[],
        &["round_id", "seq", "at"],
    ),
    (
        "sheets",
        &["ref_no", "expert_id", "state", "total"],
        &["bytes"],
        &["round_id"],
    ),
    (
        "sheet_history",
        &["ref_no", "expert_id", "action"],
        &["bytes"],
        &["round_id", "at"],
    ),
];

async fn cells(store: &Store) -> Vec<Cell> {
    let Store::Sqlite(pool) = store else {
        panic!("the campaign runs on SQLite (rowids)")
    };
    let mut out = Vec::new();
    for (table, texts, blobs, ints) in PROTECTED {
        for col in *texts {
            let rows: Vec<(i64, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT rowid, {col} FROM {table}"
            )))
            .fetch_all(pool)
            .await
            .unwrap();
            for (rowid, v) in rows {
                if let Some(v) = v {
                    out.push(Cell {
                        table,
                        column: col,
                        rowid,
                        kind: CellKind::Text(v),
                    });
                }
            }
        }
        for col in *blobs {
            let rows: Vec<(i64, Option<Vec<u8>>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT rowid, {col} FROM {table}"
            )))
            .fetch_all(pool)
            .await
            .unwrap();
            for (rowid, v) in rows {
                if let Some(v) = v {
                    out.push(Cell {
                        table,
                        column: col,
                        rowid,
                        kind: CellKind::Blob(v),
                    });
                }
            }
        }
        for col in *ints {
            let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT rowid, {col} FROM {table}"
            )))
            .fetch_all(pool)
            .await
            .unwrap();
            for (rowid, v) in rows {
                if let Some(v) = v {
                    out.push(Cell {
                        table,
                        column: col,
                        rowid,
                        kind: CellKind::Int(v),
                    });
                }
            }
        }
    }
    out
}

/// splitmix64: a seeded stream for the sample.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Another printable ASCII byte for `b` (text stays UTF-8 and one byte long).
fn other_ascii(b: u8, r: &mut Rng) -> u8 {
    loop {
        let c = 0x20 + r.below(0x5f) as u8;
        if c != b {
            return c;
        }
    }
}

/// The mutation campaign: `FAIRPANEL_MUTATIONS` (default 150) single-byte
/// mutations of the protected cells of a database after a whole round, drawn
/// with the seed `FAIRPANEL_MUTATION_SEED` (default 1); each is applied, the
/// audit runs, the cell is put back. A text cell's byte is replaced by another
/// printable ASCII byte (only ASCII bytes are chosen, so the text stays valid
/// UTF-8); a blob's byte by any other byte; an integer has one bit of its low
/// byte flipped. Every mutation must be named.
#[tokio::test]
async fn a_seeded_campaign_of_single_byte_mutations_is_detected_in_full() {
    let n: usize = std::env::var("FAIRPANEL_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("FAIRPANEL_MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let db = backends::sqlite();
    let srv = setup(&db.url).await;
    whole_round(&srv).await;
    assert_eq!(audit(&srv).await, Vec::<String>::new());
    let store = &srv.state.store;
    let Store::Sqlite(pool) = store else {
        unreachable!()
    };
    let all = cells(store).await;
    // Each mutation: a protected column drawn uniformly (so that small tables
    // are tried as often as the pool's leaves), a row of it, a byte of it.
    let weight = |c: &Cell| match &c.kind {
        CellKind::Text(s) => s.bytes().filter(u8::is_ascii).count(),
        CellKind::Blob(b) => b.len(),
        CellKind::Int(_) => 8,
    };
    let total_bytes: usize = all.iter().map(weight).sum();
    let mut columns: std::collections::BTreeMap<(&str, &str), Vec<&Cell>> = Default::default();
    for c in all.iter().filter(|c| weight(c) > 0) {
        columns.entry((c.table, c.column)).or_default().push(c);
    }
    let columns: Vec<Vec<&Cell>> = columns.into_values().collect();
    let mut rng = Rng(seed);
    let mut missed = Vec::new();
    let (mut tried, mut refused) = (0usize, 0usize);
    let mut per_table: std::collections::BTreeMap<&str, usize> = Default::default();
    for _ in 0..n {
        let col = &columns[rng.below(columns.len())];
        let cell = col[rng.below(col.len())];
        let k = rng.below(weight(cell));
        *per_table.entry(cell.table).or_default() += 1;
        let set = format!(
            "UPDATE {} SET {} = $1 WHERE rowid = $2",
            cell.table, cell.column
        );
        let (m, what) = match &cell.kind {
            CellKind::Text(s) => {
                let pos: Vec<usize> = s
                    .bytes()
                    .enumerate()
                    .filter(|(_, b)| b.is_ascii())
                    .map(|(i, _)| i)
                    .collect();
                let i = pos[k];
                let mut b = s.clone().into_bytes();
                b[i] = other_ascii(b[i], &mut rng);
                let what = format!(
                    "byte {i} {:?} -> {:?}",
                    s.as_bytes()[i] as char,
                    b[i] as char
                );
                (CellKind::Text(String::from_utf8(b).unwrap()), what)
            }
            CellKind::Blob(v) => {
                let mut b = v.clone();
                b[k] ^= 1 + rng.below(255) as u8;
                (CellKind::Blob(b), format!("byte {k}"))
            }
            CellKind::Int(v) => (
                CellKind::Int(v ^ (1 << k)),
                format!("{v} -> {}", v ^ (1 << k)),
            ),
        };
        if set_cell(pool, &set, &m, cell.rowid).await.is_err() {
            // A key, foreign key or CHECK constraint refused it: nothing changed.
            refused += 1;
            continue;
        }
        tried += 1;
        if audit(&srv).await.is_empty() {
            missed.push(format!(
                "{}.{} rowid {}: {what}",
                cell.table, cell.column, cell.rowid
            ));
        }
        // An INTEGER PRIMARY KEY is the rowid itself.
        let now_at = match (cell.table, cell.column, &m) {
            ("log_entries", "seq", CellKind::Int(v)) | ("rounds", "id", CellKind::Int(v)) => *v,
            _ => cell.rowid,
        };
        set_cell(pool, &set, &cell.kind, now_at).await.unwrap();
    }
    assert_eq!(
        audit(&srv).await,
        Vec::<String>::new(),
        "every cell put back"
    );
    println!(
        "mutation campaign (seed {seed}): {} of {tried} single-byte mutations of {} protected cells in {} columns ({total_bytes} bytes) detected ({refused} more refused by the database's constraints); drawn by table: {per_table:?}",
        tried - missed.len(),
        all.len(),
        columns.len()
    );
    assert!(tried >= n / 2, "most mutations take effect");
    assert!(missed.is_empty(), "undetected: {missed:#?}");
}

async fn set_cell(
    pool: &sqlx::SqlitePool,
    set: &str,
    v: &CellKind,
    rowid: i64,
) -> Result<(), sqlx::Error> {
    let q = sqlx::query(sqlx::AssertSqlSafe(set.to_string()));
    let q = match v {
        CellKind::Text(s) => q.bind(s.clone()),
        CellKind::Blob(b) => q.bind(b.clone()),
        CellKind::Int(i) => q.bind(*i),
    };
    let n = q.bind(rowid).execute(pool).await?.rows_affected();
    assert_eq!(n, 1, "{set} at rowid {rowid}");
    Ok(())
}

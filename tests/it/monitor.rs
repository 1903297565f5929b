//! `fairpanel monitor` (issue 12, item 5) against a running instance: a first
//! run checks the whole log, later runs only what is new; a checkpoint the
//! instance signed earlier for another root (a fork) or for a longer tree (a
//! rollback) is reported with both checkpoints and exit code 3; a wrong pinned
//! key is an error, not a pass.

use super::backends;
use super::draws::setup;
use super::{fairpanel, stdout};
use fairpanel::monitor::{Kept, Monitor, Round};
use fairpanel_core::checkpoint;
use fairpanel_core::hash::Hash32;

/// One more expert, and the public checkpoint's cache outlived.
async fn add_expert(srv: &super::http::Server, n: usize) {
    super::draws::add_expert(srv, n).await;
    tokio::time::sleep(
        fairpanel::http::public::CHECKPOINT_TTL + std::time::Duration::from_millis(50),
    )
    .await;
}

#[tokio::test]
async fn the_monitor_follows_the_log_and_names_a_fork_or_a_rollback() {
    for db in backends::all().await {
        let srv = setup(&db.url).await;
        let url = format!("http://{}", srv.addr);
        let key = srv.state.key.public();
        let dir = tempfile::tempdir().unwrap();

        // A wrong pinned key: the first entry is refused, nothing kept.
        let other = fairpanel_core::SecretKey::from_seed(&[0x44; 32]).public();
        let m = Monitor::new(&url, dir.path()).unwrap();
        let e = m.round(Some(other)).await.unwrap_err();
        assert!(format!("{e:#}").contains("entry 0"), "{}: {e:#}", db.name);
        assert!(m.kept().unwrap().is_none());

        // The first run checks everything; the next only what is new.
        let first = m.round(Some(key)).await.unwrap();
        let Round::Consistent { from: 0, to: n } = first else {
            panic!("{}: {first:?}", db.name)
        };
        assert!(n > 0);
        let kept_n = m.kept().unwrap().unwrap();
        add_expert(&srv, 321).await;
        assert_eq!(
            m.round(None).await.unwrap(),
            Round::Consistent { from: n, to: n + 1 },
            "{}",
            db.name
        );
        let kept = m.kept().unwrap().unwrap();
        assert_eq!(kept.size, n + 1);
        assert!(
            dir.path()
                .join(format!("checkpoints/{}.txt", n + 1))
                .exists()
        );

        // The command, one round: consistent, exit 0.
        let run = |state: std::path::PathBuf| {
            let url = url.clone();
            tokio::task::spawn_blocking(move || {
                let cwd = tempfile::tempdir().unwrap();
                fairpanel(
                    cwd.path(),
                    &[
                        "monitor",
                        &url,
                        "--state",
                        state.to_str().unwrap(),
                        "--once",
                    ],
                )
            })
        };
        let o = run(dir.path().to_path_buf()).await.unwrap();
        assert_eq!(o.status.code(), Some(0), "{}: {}", db.name, stdout(&o));
        assert!(stdout(&o).contains("consistent"), "{}", stdout(&o));

        // A fork: the instance had signed another root for this very size.
        let forged = |size: u64, root: Hash32| Kept {
            checkpoint: checkpoint::sign(&srv.state.origin, size, root, &srv.state.key),
            size,
            root,
            ..kept.clone()
        };
        let write = |k: &Kept| {
            std::fs::write(
                dir.path().join("state.json"),
                serde_json::to_vec(k).unwrap(),
            )
            .unwrap()
        };
        write(&forged(n + 1, Hash32([7; 32])));
        let o = run(dir.path().to_path_buf()).await.unwrap();
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(3), "{}: {out}", db.name);
        assert!(out.contains("CONFLICT: fork"), "{out}");
        assert!(out.contains(&srv.state.origin.to_string()), "{out}");

        // A rollback: the instance had signed a longer tree than it serves now.
        write(&forged(n + 5, Hash32([8; 32])));
        let r = m.round(None).await.unwrap();
        assert!(
            matches!(&r, Round::Conflict { why, .. } if why.starts_with("rollback")),
            "{}: {r:?}",
            db.name
        );

        // A kept tree the served one does not extend: the consistency proof fails.
        add_expert(&srv, 322).await;
        write(&Kept {
            checkpoint: checkpoint::sign(&srv.state.origin, n, Hash32([9; 32]), &srv.state.key),
            root: Hash32([9; 32]),
            ..kept_n.clone()
        });
        let r = m.round(None).await.unwrap();
        assert!(
            matches!(&r, Round::Conflict { why, .. } if why.contains("does not extend")),
            "{}: {r:?}",
            db.name
        );
        // Nothing was accepted over a conflict.
        assert_eq!(m.kept().unwrap().unwrap().size, n);

        // `audit --checkpoint`: the stored log against checkpoints kept outside.
        let cps = tempfile::tempdir().unwrap();
        let file = |name: &str, text: String| {
            let p = cps.path().join(name);
            std::fs::write(&p, text).unwrap();
            p.display().to_string()
        };
        let kept_by_monitor = file(
            "monitor.txt",
            std::fs::read_to_string(dir.path().join(format!("checkpoints/{}.txt", n + 1))).unwrap(),
        );
        let longer = file(
            "longer.txt",
            checkpoint::sign(&srv.state.origin, n + 50, Hash32([3; 32]), &srv.state.key),
        );
        let stranger = file(
            "stranger.txt",
            checkpoint::sign(
                &srv.state.origin,
                n,
                Hash32([3; 32]),
                &fairpanel_core::SecretKey::from_seed(&[0x45; 32]),
            ),
        );
        let keys = srv.dir.path().join("keys");
        let audit = |extra: Vec<String>| {
            let (url, keys, origin) = (db.url.clone(), keys.clone(), srv.state.origin.to_string());
            tokio::task::spawn_blocking(move || {
                let o = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
                    .args(["audit", "--origin", &origin])
                    .args(extra)
                    .env("DATABASE_URL", &url)
                    .env("FAIRPANEL_KEYS", &keys)
                    .output()
                    .unwrap();
                (o.status.code(), stdout(&o))
            })
        };
        let (code, out) = audit(vec!["--checkpoint".into(), kept_by_monitor])
            .await
            .unwrap();
        assert_eq!(code, Some(0), "{}: {out}", db.name);
        let (code, out) = audit(vec![
            "--checkpoint".into(),
            longer.clone(),
            "--checkpoint".into(),
            stranger.clone(),
        ])
        .await
        .unwrap();
        assert_eq!(code, Some(1), "{}: {out}", db.name);
        assert!(
            out.contains(&format!(
                "the checkpoint kept in {longer} is of size {}",
                n + 50
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!("{stranger}: not a checkpoint of the log")),
            "{out}"
        );
    }
}

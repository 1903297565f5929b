//! The last checkpoint the service signed, kept beside the key in `keys/`
//! (`keys/log.checkpoint`), outside the database.
//!
//! Someone who can write the database but cannot read `keys/` could roll the
//! log back (truncate its tail, delete its checkpoints) or rewrite it. The
//! service refuses to sign a checkpoint that does not extend the one it signed
//! last, and `serve` refuses to start over a log that does not extend it.
//!
//! A checkpoint is signed inside the append's transaction, before the commit,
//! so the file holds two: `committed`, a checkpoint known to be in the
//! database, and `pending`, the last one signed, which may not have been
//! committed (the transaction may have failed). The next append promotes
//! `pending` when the database holds it, and so does serving it: once the
//! newest checkpoint is read from the database to be served (the public
//! checkpoint, a bundle), someone may hold it, so it becomes `committed` and
//! no append may fall back behind it. What remains: a rollback of exactly the
//! last batch before its checkpoint was ever served, which nobody can hold.

use anyhow::{Context, Result, bail};
use fairpanel_core::PublicKey;
use fairpanel_core::hash::Hash32;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

pub const FILE: &str = "log.checkpoint";

/// A tree size and its root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub size: u64,
    pub root: Hash32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub committed: Head,
    pub pending: Head,
}

fn registry() -> &'static Mutex<HashMap<[u8; 32], PathBuf>> {
    static R: OnceLock<Mutex<HashMap<[u8; 32], PathBuf>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// From now on, every append signed by `key` in this process checks and
/// updates the anchor file in `dir`.
pub fn register(key: &PublicKey, dir: &Path) {
    registry()
        .lock()
        .expect("anchor registry")
        .insert(key.to_bytes(), dir.join(FILE));
}

/// The anchor file of `key`, if `serve` registered one.
pub fn path_for(key: &PublicKey) -> Option<PathBuf> {
    registry()
        .lock()
        .expect("anchor registry")
        .get(&key.to_bytes())
        .cloned()
}

fn head_line(h: &Head) -> String {
    format!("{} {}", h.size, h.root.to_hex())
}

fn parse_head(line: Option<&str>, what: &str, path: &Path) -> Result<Head> {
    let rest = line
        .and_then(|l| l.strip_prefix(what))
        .and_then(|l| l.strip_prefix(' '))
        .with_context(|| format!("{}: no {what} line", path.display()))?;
    let (size, root) = rest
        .split_once(' ')
        .with_context(|| format!("{}: bad {what} line", path.display()))?;
    Ok(Head {
        size: size
            .parse()
            .with_context(|| format!("{}: bad {what} size", path.display()))?,
        root: Hash32::from_hex(root)
            .map_err(|e| anyhow::anyhow!("{}: bad {what} root: {e}", path.display()))?,
    })
}

/// Reads the anchor; `None` when the file does not exist.
pub fn read(path: &Path) -> Result<Option<Anchor>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("read {}", path.display())),
    };
    let mut lines = text.lines();
    if lines.next() != Some("fairpanel checkpoint anchor") {
        bail!("{} is not a checkpoint anchor", path.display());
    }
    Ok(Some(Anchor {
        committed: parse_head(lines.next(), "committed", path)?,
        pending: parse_head(lines.next(), "pending", path)?,
    }))
}

/// Serializes this process's writes of anchor files: the appender's (under the
/// log head's lock) and [`served`]'s (outside it).
static WRITES: Mutex<()> = Mutex::new(());

/// The newest checkpoint, of `size` entries, was read from the database to be
/// served (`text` is the signed note): where it is the anchor's `pending`, it
/// is now `committed` too.
pub fn served(size: u64, text: &str) -> Result<()> {
    use base64::Engine;
    let Some(root) = text
        .lines()
        .nth(2)
        .and_then(|l| base64::engine::general_purpose::STANDARD.decode(l).ok())
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
    else {
        bail!("a stored checkpoint has no root line");
    };
    let head = Head {
        size,
        root: Hash32(root),
    };
    let paths: Vec<PathBuf> = registry()
        .lock()
        .expect("anchor registry")
        .values()
        .cloned()
        .collect();
    let _g = WRITES.lock().expect("anchor writes");
    for path in paths {
        if let Some(a) = read(&path)?
            && a.pending == head
            && a.committed != head
        {
            write_unlocked(
                &path,
                &Anchor {
                    committed: head,
                    pending: head,
                },
            )?;
        }
    }
    Ok(())
}

/// Writes the anchor (a new file renamed over the old one, mode 0600).
pub fn write(path: &Path, a: &Anchor) -> Result<()> {
    let _g = WRITES.lock().expect("anchor writes");
    write_unlocked(path, a)
}

fn write_unlocked(path: &Path, a: &Anchor) -> Result<()> {
    let text = format!(
        "fairpanel checkpoint anchor\ncommitted {}\npending {}\n",
        head_line(&a.committed),
        head_line(&a.pending)
    );
    // A name of this process's own: several instances may share `keys/`, and
    // one must not remove or rename another's file half-written.
    let tmp = path.with_extension(format!("checkpoint.new.{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    {
        use std::io::Write;
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let mut f = o
            .open(&tmp)
            .with_context(|| format!("create {}", tmp.display()))?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .with_context(|| format!("write {}", tmp.display()))?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("replace {}", path.display()))
}

/// Why nothing is signed over a log of `size` entries that extends neither of
/// the anchor's heads.
pub fn refusal(a: &Anchor, size: u64, path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "the log in the database ({size} entries) is not an extension of the last checkpoint this key signed (size {}, root {}, kept in {}): it was rolled back or rewritten. Nothing is signed over it; run `fairpanel audit`",
        a.committed.size,
        a.committed.root,
        path.display()
    )
}

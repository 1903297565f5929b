//! The log's signing key on disk: `keys/log.key` (PKCS#8 PEM, mode 0600, never
//! committed, never printed) and `keys/log.pub` (base64).

use anyhow::{Context, Result, bail};
use fairpanel_core::{PublicKey, SecretKey};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const PRIVATE: &str = "log.key";
pub const PUBLIC: &str = "log.pub";

/// 32 bytes from the operating system's generator.
pub fn os_random() -> [u8; 32] {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random generator is available");
    b
}

/// Writes a new key pair into `dir`; refuses to replace an existing private key
/// unless `force`.
pub fn generate(dir: &Path, force: bool) -> Result<(PublicKey, PathBuf)> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let private = dir.join(PRIVATE);
    if private.exists() && !force {
        bail!(
            "{} exists; a signing key is not replaced silently (rotate it through the log, or pass --force for a test setup)",
            private.display()
        );
    }
    let key = SecretKey::from_seed(&os_random());
    write_private(&private, &key)?;
    let public = key.public();
    std::fs::write(dir.join(PUBLIC), format!("{}\n", public.to_base64()))
        .with_context(|| format!("write {}", dir.join(PUBLIC).display()))?;
    Ok((public, private))
}

/// Writes a private key file (mode 0600 from its creation, synced to disk),
/// replacing any file at `path`.
#[cfg(unix)]
pub fn write_private(path: &Path, key: &SecretKey) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    // Created 0600 from the start: there is no moment when others could read it.
    let _ = std::fs::remove_file(path);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("create {}", path.display()))?;
    f.write_all(key.to_pkcs8_pem().as_bytes())
        .and_then(|_| f.sync_all())
        .with_context(|| format!("write {}", path.display()))?;
    Ok(())
}

#[cfg(not(unix))]
pub fn write_private(path: &Path, key: &SecretKey) -> Result<()> {
    std::fs::write(path, key.to_pkcs8_pem()).with_context(|| format!("write {}", path.display()))
}

/// Reads the private key, refusing one that others can read.
pub fn load(dir: &Path) -> Result<SecretKey> {
    load_file(&dir.join(PRIVATE))
}

/// [`load`] of one file.
pub fn load_file(path: &Path) -> Result<SecretKey> {
    let path = path.to_path_buf();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::metadata(&path) {
            Ok(m) => m.permissions().mode(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!("key file {} not found", path.display())
            }
            Err(e) => return Err(e).with_context(|| format!("read {}", path.display())),
        };
        if mode & 0o077 != 0 {
            bail!(
                "{} is readable by others (mode {:o}); run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    let pem = std::fs::read_to_string(&path).with_context(|| format!("read {}", path.display()))?;
    // The error never includes the file's content.
    SecretKey::from_pkcs8_pem(&pem).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Reads a public key given as a file (base64 or PEM) or as the base64 text itself.
/// Text that names no file and is not a key says "not found", rather than
/// that the path is neither base64 nor PEM.
pub fn read_public(arg: &str) -> Result<PublicKey> {
    if Path::new(arg).exists() {
        let text = std::fs::read_to_string(arg).with_context(|| format!("read {arg}"))?;
        return PublicKey::parse(&text)
            .map_err(|e| anyhow::anyhow!("--key {arg}: the file holds no public key: {e}"));
    }
    PublicKey::parse(arg).map_err(|e| {
        if looks_like_a_path(arg) {
            anyhow::anyhow!("--key {arg}: key file not found")
        } else {
            anyhow::anyhow!("--key {arg}: no file of that name, and not a base64 or PEM key: {e}")
        }
    })
}

/// Whether text that is not a key was most likely meant as a file name:
/// anything but PEM or a long run of base64 characters.
fn looks_like_a_path(arg: &str) -> bool {
    let t = arg.trim();
    let base64ish = t.len() >= 40
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\n' | b'\r'));
    !(t.starts_with("-----BEGIN") || base64ish)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_private_and_loads_again() {
        let dir = tempfile::tempdir().unwrap();
        let (public, path) = generate(dir.path(), false).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(load(dir.path()).unwrap().public(), public);
        assert!(
            generate(dir.path(), false).is_err(),
            "no silent replacement"
        );
        assert_eq!(
            read_public(dir.path().join(PUBLIC).to_str().unwrap()).unwrap(),
            public
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_key_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (_, path) = generate(dir.path(), false).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains("PRIVATE KEY"));
    }
}

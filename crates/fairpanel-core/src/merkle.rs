//! RFC 9162 Merkle trees, through `tlog_tiles` (a port of Go's `sumdb/tlog`, the
//! code behind the Go checksum database): leaf hash `SHA-256(0x00 || leaf)`, node
//! hash `SHA-256(0x01 || left || right)`, inclusion ("record") and consistency
//! ("tree") proofs. Its stored-hash layout is also what the service persists, so
//! the same library computes and checks every proof.

use crate::hash::Hash32;
use tlog_tiles::{Hash, HashReader};

pub fn leaf_hash(leaf: &[u8]) -> Hash32 {
    Hash32(tlog_tiles::record_hash(leaf).0)
}

pub fn node_hash(left: Hash32, right: Hash32) -> Hash32 {
    Hash32(tlog_tiles::node_hash(Hash(left.0), Hash(right.0)).0)
}

/// The RFC 9162 root over leaf hashes, in one left-to-right pass: a stack of
/// complete subtrees, merged while the two on top have equal size, then folded from
/// the right (which yields the RFC's "largest power of two on the left" shape).
pub fn root_of_leaf_hashes(leaves: impl IntoIterator<Item = Hash32>) -> Hash32 {
    let mut stack: Vec<(u32, Hash32)> = Vec::new();
    for h in leaves {
        let mut cur = (0u32, h);
        while let Some(&(height, top)) = stack.last() {
            if height != cur.0 {
                break;
            }
            stack.pop();
            cur = (height + 1, node_hash(top, cur.1));
        }
        stack.push(cur);
    }
    let Some((_, mut h)) = stack.pop() else {
        return Hash32(tlog_tiles::EMPTY_HASH.0);
    };
    while let Some((_, left)) = stack.pop() {
        h = node_hash(left, h);
    }
    h
}

/// Checks an inclusion proof: leaf `index` of the tree of `size` leaves with root
/// `root` has hash `leaf`.
pub fn check_inclusion(
    proof: &[Hash32],
    size: u64,
    root: Hash32,
    index: u64,
    leaf: Hash32,
) -> Result<(), String> {
    let p: Vec<Hash> = proof.iter().map(|h| Hash(h.0)).collect();
    tlog_tiles::check_record(&p, size, Hash(root.0), index, Hash(leaf.0))
        .map_err(|e| format!("inclusion proof does not verify: {e}"))
}

/// Checks a consistency proof between the tree of `old_size` with root `old_root`
/// and the tree of `size` with root `root`.
pub fn check_consistency(
    proof: &[Hash32],
    size: u64,
    root: Hash32,
    old_size: u64,
    old_root: Hash32,
) -> Result<(), String> {
    let p: Vec<Hash> = proof.iter().map(|h| Hash(h.0)).collect();
    tlog_tiles::check_tree(&p, size, Hash(root.0), old_size, Hash(old_root.0))
        .map_err(|e| format!("consistency proof does not verify: {e}"))
}

/// A whole tree in memory: the stored hashes of `tlog_tiles` in index order. The
/// service keeps the same hashes in its database.
#[derive(Default, Clone)]
pub struct MemoryTree {
    stored: Vec<Hash>,
    size: u64,
}

impl HashReader for MemoryTree {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|&i| {
                self.stored
                    .get(i as usize)
                    .copied()
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl MemoryTree {
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf and returns its index.
    pub fn push(&mut self, leaf: &[u8]) -> u64 {
        let new = tlog_tiles::stored_hashes(self.size, leaf, self).expect("hashes are in memory");
        self.stored.extend(new);
        self.size += 1;
        self.size - 1
    }

    pub fn root(&self, size: u64) -> Hash32 {
        Hash32(
            tlog_tiles::tree_hash(size, self)
                .expect("size within the tree")
                .0,
        )
    }

    pub fn inclusion_proof(&self, size: u64, index: u64) -> Vec<Hash32> {
        tlog_tiles::prove_record(size, index, self)
            .expect("index within the tree")
            .into_iter()
            .map(|h| Hash32(h.0))
            .collect()
    }

    pub fn consistency_proof(&self, size: u64, old_size: u64) -> Vec<Hash32> {
        tlog_tiles::prove_tree(size, old_size, self)
            .expect("sizes within the tree")
            .into_iter()
            .map(|h| Hash32(h.0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Vec<u8>> {
        (0..n).map(|i| format!("leaf {i}").into_bytes()).collect()
    }

    /// RFC 9162 section 2.1.1, written out recursively, as the reference.
    fn mth(l: &[Vec<u8>]) -> Hash32 {
        match l.len() {
            0 => crate::hash::sha256(b""),
            1 => leaf_hash(&l[0]),
            n => {
                // The largest power of two smaller than n.
                let mut k = 1;
                while k * 2 < n {
                    k *= 2;
                }
                node_hash(mth(&l[..k]), mth(&l[k..]))
            }
        }
    }

    #[test]
    fn one_pass_root_matches_the_rfc_definition_and_the_library() {
        for n in 0..70 {
            let l = leaves(n);
            let fast = root_of_leaf_hashes(l.iter().map(|x| leaf_hash(x)));
            assert_eq!(fast, mth(&l), "n = {n}");
            let mut t = MemoryTree::default();
            for x in &l {
                t.push(x);
            }
            assert_eq!(t.root(n as u64), fast, "n = {n}");
        }
    }

    #[test]
    fn proofs_verify_and_wrong_roots_are_refused() {
        let l = leaves(13);
        let mut t = MemoryTree::default();
        for x in &l {
            t.push(x);
        }
        for size in 1..=13u64 {
            let root = t.root(size);
            for i in 0..size {
                let p = t.inclusion_proof(size, i);
                assert!(check_inclusion(&p, size, root, i, leaf_hash(&l[i as usize])).is_ok());
                assert!(
                    check_inclusion(&p, size, t.root(13), i, leaf_hash(&l[i as usize])).is_err()
                        || size == 13
                );
            }
            for old in 1..=size {
                let p = t.consistency_proof(size, old);
                assert!(check_consistency(&p, size, root, old, t.root(old)).is_ok());
            }
        }
        let p = t.inclusion_proof(13, 3);
        assert!(check_inclusion(&p, 13, t.root(13), 4, leaf_hash(&l[3])).is_err());
        assert!(check_inclusion(&p, 13, t.root(13), 13, leaf_hash(&l[3])).is_err());
    }
}

//! The allocator's settings for a `fairpanel` process (issue 15: peak memory).
//!
//! glibc's malloc, by default, may keep eight arenas per core, and a thread
//! takes a new one when the others are busy. A draw's large buffers (a
//! 100,000-member pool's leaves, openings and their JSON, tens of megabytes
//! each, made on every core) are then spread over arenas that keep what was
//! freed in them, and the process grows past its live heap. At most two
//! arenas (the machines this runs on have two cores) took the peak of one
//! draw in the `draw_store` bench from +304 MB to +276 MB, its latency
//! unchanged.
//!
//! A fixed mmap threshold (every large block mapped on its own and returned
//! when freed) took the peak lower still (+244 MB) but made the prepared draw
//! about 40 % slower, every large buffer being faulted in afresh: not taken.

/// The most arenas malloc keeps.
pub const ARENAS: i32 = 2;

/// Applies the setting above; true when the allocator took it. Call it first
/// thing in `main`, before any thread starts. On a target whose C library is
/// not glibc, nothing changes (false).
pub fn tune() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes malloc's parameters; it is called with
        // one of glibc's documented parameters and a valid value, which take
        // effect for later allocations and leave existing blocks valid.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, ARENAS) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    /// glibc takes the setting (mallopt answers 0 for a value it refuses).
    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn glibc_takes_the_setting() {
        assert!(super::tune());
    }
}

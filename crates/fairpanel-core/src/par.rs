//! Work spread over the machine's cores, in order.

/// `f` over consecutive parts of `items`, one part per core, the parts'
/// results concatenated in order (alone, below `min` items, or on one core).
/// Every use computes each result from its own item alone, so the split
/// changes nothing in what is computed.
pub(crate) fn on_every_core<T: Sync, U: Send>(
    items: &[T],
    min: usize,
    f: impl Fn(&[T]) -> Vec<U> + Sync,
) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16);
    if threads == 1 || items.len() < min.max(2) {
        return f(items);
    }
    let chunk = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || f(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    })
}

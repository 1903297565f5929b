//! Statistical tests that the draw is uniform: over many seeds every member of an
//! unconstrained pool is equally likely to be seated and to get rank 1, no single
//! member's seat chance is off by a few percent, members in symmetric places of a
//! pool with quotas and a cap are equally likely to be seated, and `Stream::below`
//! gives each value equally often for a small and for a huge `n`.
//!
//! The seeds are fixed (SHA-256 of "0", "1", …), so every run computes the same
//! statistics: these tests cannot flake. Their bounds are one-in-a-billion upper
//! tails, so that a correct sampler would fail them only with probability 1e-9 for
//! any other fixed list of seeds as well (a change of the stream, say); each
//! statistic is also shown to exceed its bound for a sampler with a small,
//! realistic bug (a 5 % bias for one member, a missing rejection step), so that
//! the bounds are not so loose as to catch nothing.
//!
//! How each was checked to fail: the self-checks below run the statistic on a
//! deliberately biased draw; and the real draw was broken by hand once (the
//! completability test in `fill.rs` turned off, `below` without its rejection
//! step) and the tests failed.

use fairpanel_core::hash::{Hash32, sha256};
use fairpanel_core::pool::PoolLeaf;
use fairpanel_core::sampler::{self, Stream};
use fairpanel_core::types::{DrawSpec, IdTag, OrgTag, Quota, Specialty, Token};
use fairpanel_core::{draw, fill};
use std::sync::OnceLock;

/// Pool size.
const MEMBERS: usize = 20;
/// Panel size.
const PANEL: usize = 5;
/// Draws per test. 200,000 draws give 50,000 expected seats per member and 10,000
/// expected rank-1 places: the chi-square approximation is excellent, and one
/// member seated 5 % more often than the others (26.25 % instead of 25 %) stands
/// 12.9 standard deviations out, 3 % more often 7.7 (see `Z_BOUND`). With the
/// 20,000 draws used before, a 5 % bias moved the chi-square statistic by about 16
/// against a bound of 82: invisible.
const DRAWS: usize = 200_000;
/// Values `below(7)` is asked for.
const BELOW_DRAWS: usize = 1_000_000;

/// The 1e-9 upper-tail point of chi-square with 19 degrees of freedom is 81.56
/// (P[χ²₁₉ > 81.56] = 1.0e-9, computed by `chi_square_upper_tail` below and
/// checked in `the_bounds_are_one_in_a_billion_upper_tails`); 82 rounds it up.
/// For comparison, the 5% point is 30.14: a fair draw sits near 19.
const BOUND_19_DF: f64 = 82.0;
/// The same for 6 degrees of freedom: the 1e-9 point is 53.34.
const BOUND_6_DF: f64 = 54.0;
/// The same for 2 degrees of freedom: the 1e-9 point is 41.45.
const BOUND_2_DF: f64 = 42.0;
/// The largest standardised deviation of one member's seat count that a fair draw
/// reaches with probability below 1e-9: `P[|z| > 6.6] = P[χ²₁ > 6.6²] = 4.1e-11`
/// per member, 8.2e-10 for the largest of twenty (a union bound).
const Z_BOUND: f64 = 6.6;
/// Homogeneity: the bound for each of the four classes of `symmetric_pool`, a
/// chi-square with 3 degrees of freedom past 1e-9/4 (a union bound): the point is
/// 47.3.
const BOUND_3_DF_QUARTER: f64 = 48.0;

/// `SHA-256(decimal i)` for `i` in `0..DRAWS`.
fn seeds() -> impl Iterator<Item = Hash32> {
    seeds_n(DRAWS)
}

/// `SHA-256(decimal i)` for `i` in `0..n`.
fn seeds_n(n: usize) -> impl Iterator<Item = Hash32> {
    (0..n).map(|i| sha256(i.to_string().as_bytes()))
}

/// Twenty members, each of their own organisation, all of one specialty, sorted
/// by token.
fn pool() -> Vec<PoolLeaf> {
    let mut p: Vec<PoolLeaf> = (0..MEMBERS)
        .map(|i| PoolLeaf {
            id: IdTag(
                sha256(format!("id {i}").as_bytes()).0[..16]
                    .try_into()
                    .unwrap(),
            ),
            org: OrgTag(
                sha256(format!("org {i}").as_bytes()).0[..16]
                    .try_into()
                    .unwrap(),
            ),
            spec: Specialty::try_from("general").unwrap(),
            token: Token(sha256(format!("member {i}").as_bytes())),
        })
        .collect();
    p.sort_by_key(|m| m.token);
    p
}

/// Panel of 5, no alternates, no quotas, no cap.
fn unconstrained() -> DrawSpec {
    DrawSpec {
        alternates: 0,
        org_cap: None,
        panel: PANEL as u32,
        quotas: vec![],
    }
}

/// Pearson's statistic for `counts` of a multinomial with equally likely cells:
/// `Σ (O − E)² / E`, chi-square with `cells − 1` degrees of freedom.
fn pearson(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    let expected = total as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum()
}

/// The statistic for how often each of `n` members is among `k` chosen per draw,
/// over `draws` draws.
///
/// The counts are not multinomial: each draw seats exactly `k` different members,
/// so one draw's indicator vector has variance `p(1 − p)` per member (`p = k/n`)
/// and covariance `−p(1 − p)/(n − 1)` between members, i.e. covariance matrix
/// `p(1 − p)·n/(n − 1)·(I − J/n)`. Scaled by that factor, the squared deviation is
/// chi-square with `n − 1` degrees of freedom: `Σ (O − E)² / E · (n − 1)/(n − k)`.
/// (Plain Pearson would be `(n − k)/(n − 1)` = 15/19 of it, too small.)
fn seat_statistic(counts: &[u64], draws: usize, k: usize) -> f64 {
    let n = counts.len() as f64;
    let expected = draws as f64 * k as f64 / n;
    let sum: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    sum * (n - 1.0) / (n - k as f64)
}

/// `P[χ²_df > x]`: the regularized upper incomplete gamma function `Q(df/2, x/2)`,
/// by its series below `a + 1` and its continued fraction (modified Lentz) above,
/// as in Numerical Recipes §6.2. `Γ(df/2)` is exact for integer and half-integer
/// arguments: `Γ(1/2) = √π`, `Γ(1) = 1`, `Γ(a + 1) = a·Γ(a)`.
fn chi_square_upper_tail(x: f64, df: u32) -> f64 {
    let a = f64::from(df) / 2.0;
    let x = x / 2.0;
    let mut gamma = if df % 2 == 1 {
        std::f64::consts::PI.sqrt()
    } else {
        1.0
    };
    let mut g = if df % 2 == 1 { 0.5 } else { 1.0 };
    while g < a {
        gamma *= g;
        g += 1.0;
    }
    let front = (-x + a * x.ln()).exp() / gamma;
    if x < a + 1.0 {
        let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
        while term > sum * 1e-17 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
        }
        1.0 - front * sum
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -f64::from(i) * (f64::from(i) - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        front * h
    }
}

/// Fisher–Yates with the classic off-by-one, `j = below(i)` instead of
/// `below(i + 1)`: Sattolo's algorithm, which only makes cyclic permutations, so no
/// member ever keeps its own place.
fn off_by_one_shuffle(seed: [u8; 32], n: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut s = Stream::new(seed);
    for i in (1..n).rev() {
        let j = s.below(i as u64) as usize;
        order.swap(i, j);
    }
    order
}

/// The naive shuffle: swap every place with any place, `j = below(n)`. Its `n^n`
/// equally likely paths cannot spread evenly over the `n!` orders.
fn naive_shuffle(seed: [u8; 32], n: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut s = Stream::new(seed);
    for i in 0..n {
        let j = s.below(n as u64) as usize;
        order.swap(i, j);
    }
    order
}

/// How often each member is seated and how often each gets rank 1, by `draw::select`
/// (computed once, shared by the tests).
fn draw_counts() -> (Vec<u64>, Vec<u64>) {
    static COUNTS: OnceLock<(Vec<u64>, Vec<u64>)> = OnceLock::new();
    COUNTS
        .get_or_init(|| {
            let (spec, pool) = (unconstrained(), pool());
            let mut seated = vec![0u64; MEMBERS];
            let mut first = vec![0u64; MEMBERS];
            for seed in seeds() {
                let (order, sel) = draw::select(&spec, &pool, &seed);
                assert_eq!(sel.panel.len(), PANEL);
                for &i in &sel.panel {
                    seated[i as usize] += 1;
                }
                first[order[0] as usize] += 1;
            }
            (seated, first)
        })
        .clone()
}

/// The seat counts of a draw that favours member 0 a little: after the real
/// draw, one time in `one_in`, if member 0 is not seated it takes the last seat.
/// Its seat chance rises from `p = 1/4` to `p + (1 − p)/one_in`: one in 60 makes
/// that 5 % more (26.25 %), one in 100 3 % more (25.75 %).
fn favouring_member_zero(one_in: u64) -> Vec<u64> {
    let (spec, pool) = (unconstrained(), pool());
    let mut seated = vec![0u64; MEMBERS];
    for seed in seeds() {
        let (_, mut sel) = draw::select(&spec, &pool, &seed);
        let mut coin = Stream::new(sha256(&[&seed.0[..], b"favour"].concat()).0);
        if coin.below(one_in) == 0 && !sel.panel.contains(&0) {
            *sel.panel.last_mut().unwrap() = 0;
        }
        for &i in &sel.panel {
            seated[i as usize] += 1;
        }
    }
    seated
}

/// The largest standardised deviation of one member's seat count from its
/// expectation: `max |c − D·p| / √(D·p·(1 − p))`, `p = k/n`. Each count is
/// binomial(D, p) for a fair draw, so each `z` is close to a standard normal.
fn largest_seat_deviation(counts: &[u64], draws: usize, k: usize) -> f64 {
    let p = k as f64 / counts.len() as f64;
    let (mean, sd) = (draws as f64 * p, (draws as f64 * p * (1.0 - p)).sqrt());
    counts
        .iter()
        .map(|&c| (c as f64 - mean).abs() / sd)
        .fold(0.0, f64::max)
}

/// The same counts for a shuffle other than the draw's, seating the top 5 ranks.
fn shuffle_counts(shuffle: fn([u8; 32], usize) -> Vec<u32>) -> (Vec<u64>, Vec<u64>) {
    let mut seated = vec![0u64; MEMBERS];
    let mut first = vec![0u64; MEMBERS];
    for seed in seeds() {
        let order = shuffle(seed.0, MEMBERS);
        for &i in &order[..PANEL] {
            seated[i as usize] += 1;
        }
        first[order[0] as usize] += 1;
    }
    (seated, first)
}

#[test]
fn the_bounds_are_one_in_a_billion_upper_tails() {
    // The tail function against textbook 5% points, so that it can be trusted...
    for (x, df) in [(30.144, 19), (12.592, 6), (3.841, 1), (5.991, 2)] {
        let p = chi_square_upper_tail(x, df);
        assert!((p - 0.05).abs() < 1e-4, "P[χ²_{df} > {x}] = {p}");
    }
    // ...then the bounds: just past the 1e-9 point, not far past it.
    for (bound, df) in [(BOUND_19_DF, 19), (BOUND_6_DF, 6), (BOUND_2_DF, 2)] {
        let p = chi_square_upper_tail(bound, df);
        assert!(p < 1e-9 && p > 5e-10, "P[χ²_{df} > {bound}] = {p}");
    }
    let p = 4.0 * chi_square_upper_tail(BOUND_3_DF_QUARTER, 3);
    assert!(
        p < 1e-9 && p > 5e-10,
        "4·P[χ²_3 > {BOUND_3_DF_QUARTER}] = {p}"
    );
    // |z| > Z_BOUND for some one of twenty members: P[χ²₁ > z²] each.
    let p = MEMBERS as f64 * chi_square_upper_tail(Z_BOUND * Z_BOUND, 1);
    assert!(p < 1e-9 && p > 5e-10, "20·P[|z| > {Z_BOUND}] = {p}");
}

#[test]
fn no_members_seat_chance_is_off_by_even_a_few_percent() {
    let (seated, _) = draw_counts();
    let z = largest_seat_deviation(&seated, DRAWS, PANEL);
    assert!(z < Z_BOUND, "a seat count is {z:.2} sd out: {seated:?}");
}

#[test]
fn the_single_member_statistic_would_catch_a_five_and_a_three_percent_bias() {
    // 5 % more often: expected 12.9 sd out, so caught whatever the seeds.
    let seated = favouring_member_zero(60);
    let z = largest_seat_deviation(&seated, DRAWS, PANEL);
    assert!(z > Z_BOUND, "+5 %: only {z:.2} sd: {seated:?}");
    let excess = seated[0] as f64 / (DRAWS as f64 / 4.0) - 1.0;
    assert!((0.04..0.06).contains(&excess), "the bias is {excess:.4}");
    // 3 % more often: expected 7.7 sd out, caught about seven times in eight;
    // these fixed seeds catch it.
    let seated = favouring_member_zero(100);
    let z = largest_seat_deviation(&seated, DRAWS, PANEL);
    assert!(z > Z_BOUND, "+3 %: only {z:.2} sd: {seated:?}");
    // The chi-square statistic over all members, for comparison, sees the 5 % bias
    // too with this many draws.
    let t = seat_statistic(&favouring_member_zero(60), DRAWS, PANEL);
    assert!(t > BOUND_19_DF, "+5 %: chi-square {t:.1}");
}

#[test]
fn every_member_is_equally_likely_to_be_on_the_panel() {
    let (seated, _) = draw_counts();
    assert_eq!(seated.iter().sum::<u64>(), (DRAWS * PANEL) as u64);
    let t = seat_statistic(&seated, DRAWS, PANEL);
    assert!(
        t < BOUND_19_DF,
        "chi-square {t:.1} > {BOUND_19_DF} for seat counts {seated:?}"
    );
}

#[test]
fn every_member_is_equally_likely_to_get_rank_one() {
    let (_, first) = draw_counts();
    let t = pearson(&first);
    assert!(
        t < BOUND_19_DF,
        "chi-square {t:.1} > {BOUND_19_DF} for rank-1 counts {first:?}"
    );
}

#[test]
fn the_panel_statistic_would_catch_a_biased_draw() {
    // Always the first five members of the pool.
    let mut first_five = vec![0u64; MEMBERS];
    first_five[..PANEL].fill(DRAWS as u64);
    assert!(seat_statistic(&first_five, DRAWS, PANEL) > BOUND_19_DF);
    // Off by one: the first five members are seated with probability 4/19, not 1/4.
    let (seated, _) = shuffle_counts(off_by_one_shuffle);
    let t = seat_statistic(&seated, DRAWS, PANEL);
    assert!(t > BOUND_19_DF, "off-by-one shuffle: chi-square {t:.1}");
    // The naive shuffle's bias is subtler, and still far past the bound.
    let (seated, _) = shuffle_counts(naive_shuffle);
    let t = seat_statistic(&seated, DRAWS, PANEL);
    assert!(t > BOUND_19_DF, "naive shuffle: chi-square {t:.1}");
}

#[test]
fn the_rank_one_statistic_would_catch_a_biased_shuffle() {
    // Off by one: member 0 never gets rank 1.
    let (_, first) = shuffle_counts(off_by_one_shuffle);
    assert_eq!(first[0], 0);
    let t = pearson(&first);
    assert!(t > BOUND_19_DF, "off-by-one shuffle: chi-square {t:.1}");
    let (_, first) = shuffle_counts(naive_shuffle);
    let t = pearson(&first);
    assert!(t > BOUND_19_DF, "naive shuffle: chi-square {t:.1}");
}

/// How often `pick` gives each value below 7 over `BELOW_DRAWS` calls on one stream.
fn below_seven_counts(mut pick: impl FnMut(&mut Stream) -> u64) -> Vec<u64> {
    let mut s = Stream::new(sha256(b"below 7").0);
    let mut counts = vec![0u64; 7];
    for _ in 0..BELOW_DRAWS {
        counts[pick(&mut s) as usize] += 1;
    }
    counts
}

#[test]
fn below_seven_gives_each_value_equally_often() {
    let counts = below_seven_counts(|s| s.below(7));
    let t = pearson(&counts);
    assert!(
        t < BOUND_6_DF,
        "chi-square {t:.1} > {BOUND_6_DF} for {counts:?}"
    );
}

/// `below(3·2^62)`, counted by which third of its range each value falls in, over
/// `BELOW_DRAWS` calls (or `pick`'s).
fn below_huge_thirds(mut pick: impl FnMut(&mut Stream, u64) -> u64) -> Vec<u64> {
    let n = 3u64 << 62;
    let mut s = Stream::new(sha256(b"below 3 * 2^62").0);
    let mut counts = vec![0u64; 3];
    for _ in 0..BELOW_DRAWS {
        let x = pick(&mut s, n);
        assert!(x < n);
        counts[(x >> 62) as usize] += 1;
    }
    counts
}

#[test]
fn below_a_huge_n_gives_each_third_of_the_range_equally_often() {
    // Here a quarter of the 64-bit words fall in the zone `below` must reject.
    let counts = below_huge_thirds(|s, n| s.below(n));
    let t = pearson(&counts);
    assert!(
        t < BOUND_2_DF,
        "chi-square {t:.1} > {BOUND_2_DF} for {counts:?}"
    );
}

#[test]
fn the_below_statistic_would_catch_a_missing_rejection_step() {
    // `next_u64() % n` without rejecting: the rejected zone [2^64 − 2^62, 2^64)
    // wraps onto the first third, which then comes up half of the time.
    let counts = below_huge_thirds(|s, n| s.next_u64() % n);
    let t = pearson(&counts);
    assert!(t > BOUND_2_DF, "plain modulo: chi-square {t:.1}");
}

/// A pool where members in the same place are interchangeable, with quotas and a
/// cap that make the fill refuse members: organisations X0–X3 have one member of
/// specialty `a` and one of `b`; Y0–Y3 one of `a` and one of `c`. The rules: a
/// panel of 5, at most 1 per organisation, at least 2 of `a` (filled first) and 3
/// of `b`. Since `b` lives only in the X organisations, the `a` stratum may take
/// at most one `a` from an X organisation: the fill refuses a second.
///
/// Permuting X0–X3 (or Y0–Y3) maps the pool onto itself, so the four members of
/// each class (`a` in X, `b` in X, `a` in Y, `c` in Y) must be equally likely to be
/// seated. Returns the pool (sorted by token) and each class's pool indexes.
fn symmetric_pool() -> (Vec<PoolLeaf>, Vec<Vec<u32>>) {
    let leaf = |spec: &str, org: String| PoolLeaf {
        id: IdTag(
            sha256(format!("{spec} in {org}").as_bytes()).0[..16]
                .try_into()
                .unwrap(),
        ),
        org: OrgTag(sha256(org.as_bytes()).0[..16].try_into().unwrap()),
        spec: Specialty::try_from(spec).unwrap(),
        token: Token(sha256(format!("{spec} in {org}").as_bytes())),
    };
    let classes = [("a", "X"), ("b", "X"), ("a", "Y"), ("c", "Y")];
    let mut pool: Vec<PoolLeaf> = classes
        .iter()
        .flat_map(|&(spec, kind)| (0..4).map(move |i| leaf(spec, format!("{kind}{i}"))))
        .collect();
    pool.sort_by_key(|m| m.token);
    let members = classes
        .iter()
        .map(|&(spec, kind)| {
            (0..4)
                .map(|i| {
                    let token = leaf(spec, format!("{kind}{i}")).token;
                    pool.iter().position(|m| m.token == token).unwrap() as u32
                })
                .collect()
        })
        .collect();
    (pool, members)
}

fn symmetric_spec() -> DrawSpec {
    let quota = |spec: &str, min| Quota {
        min,
        spec: Specialty::try_from(spec).unwrap(),
    };
    DrawSpec {
        alternates: 0,
        org_cap: Some(1),
        panel: 7,
        quotas: vec![quota("a", 2), quota("b", 3)],
    }
}

/// Draws per homogeneity test.
const SYMMETRIC_DRAWS: usize = 100_000;

/// For each class of `symmetric_pool`, the homogeneity statistic of its members'
/// seat counts over `SYMMETRIC_DRAWS` draws with the fill given `order` by
/// `ranks_of`.
///
/// The members of a class are exchangeable, so one draw's seat indicators have a
/// covariance `σ·I + τ·J`; the deviations from the class mean then have covariance
/// `D·σ·(I − J/m)` over D draws, and `Σ (X_i − X̄)² / (D·σ)` is chi-square with
/// `m − 1` degrees of freedom. `σ` is estimated from the draws themselves:
/// `E Σ_i (I_i − Ī)² = (m − 1)·σ` for one draw.
fn class_statistics(ranks_of: impl Fn(&Hash32, usize) -> Vec<u32>) -> Vec<(f64, Vec<u64>)> {
    let (pool, classes) = symmetric_pool();
    let spec = symmetric_spec();
    fill::check_feasible(&spec, &pool).unwrap();
    let mut counts = vec![vec![0u64; 4]; classes.len()];
    let mut spread = vec![0f64; classes.len()];
    for seed in seeds_n(SYMMETRIC_DRAWS) {
        let order = ranks_of(&seed, pool.len());
        let sel = fill::fill(&spec, &pool, &order);
        for (c, members) in classes.iter().enumerate() {
            let on: Vec<f64> = members
                .iter()
                .map(|i| f64::from(u8::from(sel.panel.contains(i))))
                .collect();
            let mean = on.iter().sum::<f64>() / 4.0;
            spread[c] += on.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 3.0;
            for (k, x) in on.iter().enumerate() {
                counts[c][k] += *x as u64;
            }
        }
    }
    counts
        .into_iter()
        .zip(spread)
        .map(|(cs, sigma_sum)| {
            let mean = cs.iter().sum::<u64>() as f64 / 4.0;
            let t = cs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / sigma_sum;
            (t, cs)
        })
        .collect()
}

#[test]
fn members_in_symmetric_places_are_equally_likely_to_be_seated_under_quotas_and_a_cap() {
    let stats = class_statistics(|seed, n| sampler::ranks(seed.0, n));
    // Every member is seated now and then, and no class is too far off for the
    // statistic to mean something.
    for (t, counts) in &stats {
        assert!(counts.iter().all(|&c| c > 0), "{counts:?}");
        assert!(
            *t < BOUND_3_DF_QUARTER,
            "statistic {t:.1} for seat counts {counts:?}"
        );
    }
    // The quotas hold, as they do in every draw: at least 3 of `b` and 2 of `a`.
    let total = |c: usize| stats[c].1.iter().sum::<u64>();
    assert!(total(1) >= 3 * SYMMETRIC_DRAWS as u64);
    assert!(total(0) + total(2) >= 2 * SYMMETRIC_DRAWS as u64);
    // At most one `a` comes from an X organisation (`b` needs three of the four).
    assert!(total(0) <= SYMMETRIC_DRAWS as u64);
}

#[test]
fn the_homogeneity_statistic_would_catch_one_member_favoured_by_five_percent() {
    let (pool, classes) = symmetric_pool();
    let favoured = classes[2][0];
    // How often `favoured` is seated by the fair draw, to size the thumb on the scale.
    let fair = class_statistics(|seed, n| sampler::ranks(seed.0, n));
    let p = fair[2].1[0] as f64 / SYMMETRIC_DRAWS as f64;
    assert_eq!(pool.len(), 16);
    // Now and then move `favoured` to rank 1, where it is always seated: its seat
    // chance rises by `q·(1 − p)`; make that 5 % of `p`.
    let q = 0.05 * p / (1.0 - p);
    let one_in = (1.0 / q).round() as u64;
    let biased = class_statistics(|seed, n| {
        let mut order = sampler::ranks(seed.0, n);
        let mut coin = Stream::new(sha256(&[&seed.0[..], b"favour"].concat()).0);
        if coin.below(one_in) == 0 {
            let at = order.iter().position(|&i| i == favoured).unwrap();
            order[..=at].rotate_right(1);
        }
        order
    });
    let (t, counts) = &biased[2];
    let excess = counts[0] as f64 / fair[2].1[0] as f64 - 1.0;
    assert!(
        (0.03..0.07).contains(&excess),
        "favoured {excess:.3}: {counts:?}"
    );
    assert!(*t > BOUND_3_DF_QUARTER, "statistic {t:.1} for {counts:?}");
}

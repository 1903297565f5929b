//! Statistical tests that the draw is uniform: over many seeds every member of an
//! unconstrained pool is equally likely to be seated and to get rank 1, and
//! `Stream::below(7)` gives each value equally often.
//!
//! The seeds are fixed (SHA-256 of "0", "1", …), so every run computes the same
//! statistics: these tests cannot flake. Their bounds are the one-in-a-billion upper
//! tails of the chi-square distributions, so that a correct sampler would fail them
//! only with probability 1e-9 for any other fixed list of seeds as well (a change of
//! the stream, say); each statistic is also shown to exceed its bound for a sampler
//! with a realistic bug, so that the bounds are not so loose as to catch nothing.

use fairpanel_core::draw;
use fairpanel_core::hash::{Hash32, sha256};
use fairpanel_core::pool::PoolLeaf;
use fairpanel_core::sampler::Stream;
use fairpanel_core::types::{DrawSpec, OrgTag, Specialty, Token};

/// Pool size.
const MEMBERS: usize = 20;
/// Panel size.
const PANEL: usize = 5;
/// Draws per test. 20,000 draws give 5,000 expected seats per member and 1,000
/// expected rank-1 places: the chi-square approximation is excellent.
const DRAWS: usize = 20_000;
/// Values `below(7)` is asked for.
const BELOW_DRAWS: usize = 1_000_000;

/// The 1e-9 upper-tail point of chi-square with 19 degrees of freedom is 81.56
/// (P[χ²₁₉ > 81.56] = 1.0e-9, computed by `chi_square_upper_tail` below and
/// checked in `the_bounds_are_one_in_a_billion_upper_tails`); 82 rounds it up.
/// For comparison, the 5% point is 30.14: a fair draw sits near 19.
const BOUND_19_DF: f64 = 82.0;
/// The same for 6 degrees of freedom: the 1e-9 point is 53.34.
const BOUND_6_DF: f64 = 54.0;

/// `SHA-256(decimal i)` for `i` in `0..DRAWS`.
fn seeds() -> impl Iterator<Item = Hash32> {
    (0..DRAWS).map(|i| sha256(i.to_string().as_bytes()))
}

/// Twenty members, each of their own organisation, all of one specialty, sorted
/// by token.
fn pool() -> Vec<PoolLeaf> {
    let mut p: Vec<PoolLeaf> = (0..MEMBERS)
        .map(|i| PoolLeaf {
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

/// How often each member is seated and how often each gets rank 1, by `draw::select`.
fn draw_counts() -> (Vec<u64>, Vec<u64>) {
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
    for (bound, df) in [(BOUND_19_DF, 19), (BOUND_6_DF, 6)] {
        let p = chi_square_upper_tail(bound, df);
        assert!(p < 1e-9 && p > 5e-10, "P[χ²_{df} > {bound}] = {p}");
    }
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

#[test]
fn the_below_statistic_would_catch_a_small_modulo_bias() {
    // Reducing one byte modulo 7 without rejection: 256 = 36·7 + 4, so 0 to 3 come
    // up 37/256 of the time and 4 to 6 only 36/256, a bias of under 3%. Over a
    // million draws the statistic's expected value is about 190 (183 from the bias,
    // 6 from chance); this stream gives 137.
    let counts = below_seven_counts(|s| (s.next_u64() & 0xff) % 7);
    let t = pearson(&counts);
    assert!(t > BOUND_6_DF, "one-byte modulo: chi-square {t:.1}");
}

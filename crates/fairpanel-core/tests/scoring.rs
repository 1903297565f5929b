//! The scoring rules from the outside: rubrics, sheet validation, the abnormal-total
//! rule, aggregation with its rounding, the ranking and its tie-break, the
//! recommendation, Kendall's W, and property tests of the final score checked
//! against an independent computation with rust_decimal's own rounding.

use fairpanel_core::hash::tagged;
use fairpanel_core::jcs;
use fairpanel_core::scoring::{
    self, ABNORMAL_POINTS, Aggregate, ApplicationKind, DEFAULT_QUOTA, Gate, GateAnswer, Indicator,
    Levels, RUBRIC_TAG, Rubric, Score, Sheet, abnormal, aggregate, aggregate_sheets,
    check_explanation, default_rubrics, failed_gates, kendalls_w, needs_explanation,
    objective_disagreements, rank, recommend, validate_sheet,
};
use proptest::collection::vec;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn ds(v: &[&str]) -> Vec<Decimal> {
    v.iter().map(|s| d(s)).collect()
}

fn levels() -> Levels {
    Levels {
        full: "优".into(),
        good: "良".into(),
        fair: "中".into(),
        poor: "差".into(),
    }
}

fn indicator(code: &str, max: &str, step: &str, objective: bool) -> Indicator {
    Indicator {
        code: code.into(),
        name: format!("指标 {code}"),
        max_points: d(max),
        step: d(step),
        objective,
        levels: levels(),
    }
}

/// Two indicators (20 on 0.5, objective; 80 on 1) and one gate.
fn small_rubric() -> Rubric {
    Rubric {
        id: "test-small".into(),
        version: 1,
        kind: ApplicationKind::BaseExisting,
        title: "测试评分标准".into(),
        indicators: vec![
            indicator("training_volume", "20", "0.5", true),
            indicator("training_system", "80", "1", false),
        ],
        gates: vec![Gate {
            code: "pass_rate_90".into(),
            name: "合格率90%以上".into(),
            description: "年度培训合格率达到90%以上".into(),
        }],
    }
}

fn sheet(app: &str, volume: &str, system: &str, pass: bool) -> Sheet {
    Sheet {
        application: app.into(),
        scores: vec![
            Score {
                code: "training_volume".into(),
                points: d(volume),
            },
            Score {
                code: "training_system".into(),
                points: d(system),
            },
        ],
        gates: vec![GateAnswer {
            code: "pass_rate_90".into(),
            pass,
        }],
        comment: None,
        explanation: None,
    }
}

/// A full-marks sheet for any rubric, every gate passed.
fn full_sheet(r: &Rubric, app: &str) -> Sheet {
    Sheet {
        application: app.into(),
        scores: r
            .indicators
            .iter()
            .map(|i| Score {
                code: i.code.clone(),
                points: i.max_points,
            })
            .collect(),
        gates: r
            .gates
            .iter()
            .map(|g| GateAnswer {
                code: g.code.clone(),
                pass: true,
            })
            .collect(),
        comment: Some("材料齐全".into()),
        explanation: None,
    }
}

fn result(app: &str, totals: &[&str]) -> Aggregate {
    aggregate(app, &ds(totals)).unwrap()
}

// --- rubrics ---------------------------------------------------------------

#[test]
fn default_rubrics_validate_and_sum_to_100() {
    let rubrics = default_rubrics();
    let kinds: Vec<_> = rubrics.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, ApplicationKind::ALL);
    for r in &rubrics {
        r.validate().unwrap_or_else(|e| panic!("{}: {e}", r.id));
        let sum: Decimal = r.indicators.iter().map(|i| i.max_points).sum();
        assert_eq!(sum, d("100"), "{}", r.id);
        assert!(r.indicators.iter().any(|i| i.objective), "{}", r.id);
        assert!(r.indicators.iter().any(|i| !i.objective), "{}", r.id);
        assert!(!r.gates.is_empty(), "{}", r.id);
        // A full-marks sheet is valid and totals 100.
        assert_eq!(
            validate_sheet(r, &full_sheet(r, "app-1")).unwrap(),
            d("100")
        );
    }
    let mut hashes: Vec<_> = rubrics.iter().map(Rubric::hash).collect();
    hashes.dedup();
    assert_eq!(hashes.len(), 3);
}

#[test]
fn default_rubrics_carry_the_policy_thresholds() {
    let rubrics = default_rubrics();
    let text = |kind: ApplicationKind| {
        let r = rubrics.iter().find(|r| r.kind == kind).unwrap();
        serde_json::to_string(r).unwrap()
    };
    let new = text(ApplicationKind::BaseNew);
    assert!(new.contains("2000人次") && new.contains("5个以上") && new.contains("近3年"));
    let existing = text(ApplicationKind::BaseExisting);
    for needle in ["3000人次", "1000人次", "90%", "课程设置", "技能竞赛"] {
        assert!(existing.contains(needle), "{needle}");
    }
    let studio = text(ApplicationKind::Studio);
    assert!(studio.contains("高级技师") && studio.contains("传统工艺"));
}

#[test]
fn a_rubric_summing_to_99_5_is_refused() {
    let mut r = default_rubrics().remove(0);
    let i = r
        .indicators
        .iter_mut()
        .find(|i| i.code == "management")
        .unwrap();
    i.max_points = d("9.5");
    let e = r.validate().unwrap_err();
    assert!(e.contains("99.5") && e.contains("100"), "{e}");
}

#[test]
fn rubric_validation_names_the_problem() {
    let mut r = small_rubric();
    r.indicators[1].code = "training_volume".into();
    assert!(r.validate().unwrap_err().contains("used twice"));

    let mut r = small_rubric();
    r.gates[0].code = "training_system".into();
    assert!(r.validate().unwrap_err().contains("used twice"));

    let mut r = small_rubric();
    r.indicators[0].step = d("3");
    assert!(r.validate().unwrap_err().contains("not a multiple"));

    let mut r = small_rubric();
    r.indicators[0].step = d("0.125");
    assert!(r.validate().unwrap_err().contains("step"));

    let mut r = small_rubric();
    r.indicators[0].step = d("0");
    assert!(r.validate().is_err());

    let mut r = small_rubric();
    r.indicators[0].code = "Training".into();
    assert!(r.validate().unwrap_err().contains("a-z"));

    let mut r = small_rubric();
    r.indicators[0].levels.fair = "  ".into();
    assert!(r.validate().unwrap_err().contains("fair"));

    let mut r = small_rubric();
    r.version = 0;
    assert!(r.validate().is_err());
}

#[test]
fn rubric_json_spells_decimals_with_two_places_and_round_trips() {
    let r = small_rubric();
    let json = String::from_utf8(jcs::encode(&r)).unwrap();
    assert!(json.contains(r#""max_points":"20.00""#), "{json}");
    assert!(json.contains(r#""step":"0.50""#), "{json}");
    assert!(json.contains(r#""kind":"base_existing""#), "{json}");
    jcs::check_canonical(json.as_bytes()).unwrap();
    let back: Rubric = jcs::parse(json.as_bytes()).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.hash(), r.hash());
}

#[test]
fn rubric_json_refuses_unknown_fields_and_other_spellings() {
    let json = serde_json::to_string(&small_rubric()).unwrap();
    let extra = json.replacen("{", r#"{"extra":1,"#, 1);
    assert!(serde_json::from_str::<Rubric>(&extra).is_err());
    for (from, to) in [
        (r#""step":"0.50""#, r#""step":"0.5""#),
        (r#""step":"0.50""#, r#""step":0.5"#),
        (r#""kind":"base_existing""#, r#""kind":"base""#),
    ] {
        let bad = json.replacen(from, to, 1);
        assert_ne!(bad, json);
        assert!(serde_json::from_str::<Rubric>(&bad).is_err(), "{to}");
    }
}

#[test]
fn rubric_hash_is_the_tagged_hash_of_its_canonical_bytes() {
    let r = small_rubric();
    assert_eq!(r.hash(), tagged(RUBRIC_TAG, &[&jcs::encode(&r)]));
    let mut changed = r.clone();
    changed.indicators[0].levels.poor = "很差".into();
    assert_ne!(changed.hash(), r.hash());
    // Equal values with another scale hash alike: the spelling is fixed.
    let mut rescaled = r.clone();
    rescaled.indicators[0].max_points = d("20.000");
    assert_eq!(rescaled.hash(), r.hash());
}

// --- sheets ----------------------------------------------------------------

#[test]
fn a_valid_sheet_gives_its_total_with_two_decimals() {
    let t = validate_sheet(&small_rubric(), &sheet("a", "12.5", "75", true)).unwrap();
    assert_eq!(t, d("87.5"));
    assert_eq!(t.to_string(), "87.50");
}

#[test]
fn a_score_off_its_step_is_refused_with_a_bilingual_message() {
    let e = validate_sheet(&small_rubric(), &sheet("a", "12.3", "75", true)).unwrap_err();
    assert_eq!(
        e,
        vec![
            "指标 training_volume 得分 12.3 不是 0.5 的整数倍 / score 12.3 of training_volume is not a multiple of 0.5"
        ]
    );
}

#[test]
fn a_score_out_of_range_is_refused() {
    let r = small_rubric();
    let e = validate_sheet(&r, &sheet("a", "20.5", "75", true)).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(
        e[0].contains("training_volume") && e[0].contains("超出") && e[0].contains("outside"),
        "{e:?}"
    );
    let e = validate_sheet(&r, &sheet("a", "-0.5", "75", true)).unwrap_err();
    assert!(e[0].contains("outside 0 to 20"), "{e:?}");
    // The bounds themselves are fine.
    assert_eq!(
        validate_sheet(&r, &sheet("a", "0", "80", false)).unwrap(),
        d("80")
    );
}

#[test]
fn missing_duplicate_and_unknown_scores_are_refused() {
    let r = small_rubric();
    let mut s = sheet("a", "10", "70", true);
    s.scores.remove(1);
    let e = validate_sheet(&r, &s).unwrap_err();
    assert_eq!(
        e,
        vec!["指标 training_system 未评分 / indicator training_system is not scored"]
    );

    let mut s = sheet("a", "10", "70", true);
    s.scores.push(Score {
        code: "training_volume".into(),
        points: d("10"),
    });
    let e = validate_sheet(&r, &s).unwrap_err();
    assert!(e[0].contains("more than once"), "{e:?}");

    let mut s = sheet("a", "10", "70", true);
    s.scores.push(Score {
        code: "bonus".into(),
        points: d("5"),
    });
    let e = validate_sheet(&r, &s).unwrap_err();
    assert!(
        e[0].starts_with("未知指标 bonus / unknown indicator bonus"),
        "{e:?}"
    );
}

#[test]
fn unanswered_and_unknown_gates_are_refused() {
    let r = small_rubric();
    let mut s = sheet("a", "10", "70", true);
    s.gates.clear();
    let e = validate_sheet(&r, &s).unwrap_err();
    assert_eq!(
        e,
        vec!["否决项 pass_rate_90 未作答 / gate pass_rate_90 is not answered"]
    );

    let mut s = sheet("a", "10", "70", true);
    s.gates.push(GateAnswer {
        code: "no_such_gate".into(),
        pass: true,
    });
    let e = validate_sheet(&r, &s).unwrap_err();
    assert!(e[0].contains("unknown gate no_such_gate"), "{e:?}");
}

#[test]
fn every_error_of_a_sheet_is_reported_at_once() {
    let r = small_rubric();
    let mut s = sheet("", "12.3", "81", true);
    s.gates.clear();
    let e = validate_sheet(&r, &s).unwrap_err();
    assert_eq!(e.len(), 4, "{e:?}");
}

#[test]
fn sheet_json_is_strict() {
    let ok = r#"{"application":"gd-2026-01","comment":null,"explanation":null,"gates":[{"code":"pass_rate_90","pass":true}],"scores":[{"code":"training_volume","points":"12.50"},{"code":"training_system","points":"75.00"}]}"#;
    let s: Sheet = serde_json::from_str(ok).unwrap();
    assert_eq!(validate_sheet(&small_rubric(), &s).unwrap(), d("87.5"));
    assert_eq!(jcs::encode(&s), ok.as_bytes());
    for (from, to) in [
        (r#""12.50""#, r#""12.5""#),
        (r#""12.50""#, "12.5"),
        (r#""12.50""#, r#""1.25e1""#),
        (r#""comment":null"#, r#""comment":null,"score":1"#),
    ] {
        let bad = ok.replacen(from, to, 1);
        assert!(serde_json::from_str::<Sheet>(&bad).is_err(), "{to}");
    }
}

// --- abnormal totals, explanations, disagreements, gates ---------------------

#[test]
fn a_total_exactly_15_from_the_median_is_abnormal_and_14_99_is_not() {
    let others = ds(&["80", "85", "90"]);
    assert_eq!(ABNORMAL_POINTS, d("15"));
    assert_eq!(abnormal(d("70"), &others), Some(d("-15")));
    assert_eq!(abnormal(d("100"), &others), Some(d("15")));
    assert_eq!(abnormal(d("70.01"), &others), None);
    assert_eq!(abnormal(d("99.99"), &others), None);
    assert!(needs_explanation(d("70"), &others));
    assert!(!needs_explanation(d("70.01"), &others));
}

#[test]
fn the_abnormal_rule_needs_two_other_totals_and_uses_the_exact_median() {
    assert_eq!(abnormal(d("40"), &ds(&["90"])), None);
    assert_eq!(abnormal(d("40"), &[]), None);
    // Median of 80.01 and 90.00 is 85.005 exactly: 100.005 would be 15 above it.
    let others = ds(&["80.01", "90"]);
    assert_eq!(abnormal(d("100"), &others), None);
    assert_eq!(abnormal(d("100.01"), &others), Some(d("15.005")));
}

#[test]
fn an_abnormal_total_needs_a_non_blank_explanation() {
    let others = ds(&["80", "85", "90"]);
    let mut s = sheet("a", "10", "60", true);
    let e = check_explanation(&s, d("70"), &others).unwrap_err();
    assert!(
        e.starts_with("总分 70.00 与其他专家总分的中位数相差 15 分"),
        "{e}"
    );
    s.explanation = Some(" \u{3000}\n".into());
    assert!(check_explanation(&s, d("70"), &others).is_err());
    s.explanation = Some("申报材料中实训设备清单与现场照片不符".into());
    assert!(check_explanation(&s, d("70"), &others).is_ok());
    s.explanation = None;
    assert!(check_explanation(&s, d("75"), &others).is_ok());
}

#[test]
fn aggregating_sheets_refuses_an_unexplained_abnormal_total() {
    let r = small_rubric();
    let mut sheets = vec![
        sheet("a", "10", "70", true),
        sheet("a", "10", "75", true),
        sheet("a", "10", "80", true),
        sheet("a", "5", "60", true),
    ];
    let e = aggregate_sheets(&r, "a", &sheets).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("第 4 张评分表 / sheet 4: 总分 65.00"),
        "{e:?}"
    );
    sheets[3].explanation = Some("实训条件与申报不符".into());
    let a = aggregate_sheets(&r, "a", &sheets).unwrap();
    assert_eq!(a.final_score, d("80")); // (80 + 85 + 90 + 65) / 4
    assert!(a.eligible());

    sheets[0].application = "b".into();
    let e = aggregate_sheets(&r, "a", &sheets).unwrap_err();
    assert!(e[0].contains("not a"), "{e:?}");
}

#[test]
fn a_gate_passes_only_with_a_majority_of_passes() {
    let r = small_rubric();
    let s = |pass| sheet("a", "10", "70", pass);
    assert!(failed_gates(&r, &[s(true), s(true), s(false)]).is_empty());
    assert_eq!(
        failed_gates(&r, &[s(true), s(false), s(true), s(false)]),
        vec!["pass_rate_90"]
    );
    let a = aggregate_sheets(&r, "a", &[s(false), s(false), s(true)]).unwrap();
    assert!(!a.eligible());
    assert_eq!(a.failed_gates, vec!["pass_rate_90"]);
}

#[test]
fn objective_disagreements_name_the_objective_indicators_that_differ() {
    let r = small_rubric();
    let same = [sheet("a", "10", "70", true), sheet("a", "10.0", "75", true)];
    assert!(objective_disagreements(&r, &same).is_empty());
    let differ = [sheet("a", "10", "70", true), sheet("a", "10.5", "70", true)];
    assert_eq!(
        objective_disagreements(&r, &differ),
        vec!["training_volume"]
    );
    // Subjective indicators may differ freely.
    assert!(objective_disagreements(&r, &same[..1]).is_empty());
}

// --- aggregation -------------------------------------------------------------

#[test]
fn with_exactly_5_totals_one_highest_and_one_lowest_are_dropped() {
    let a = result("a", &["70", "80", "85", "90", "99"]);
    assert!(a.trimmed);
    assert_eq!(a.final_score, d("85")); // (80 + 85 + 90) / 3
    assert_eq!(a.median, d("85"));
    assert_eq!((a.min, a.max, a.spread), (d("70"), d("99"), d("29")));
    assert_eq!(a.sheets, 5);
}

#[test]
fn with_4_totals_the_plain_mean_is_taken() {
    let a = result("a", &["70", "80", "90", "99"]);
    assert!(!a.trimmed);
    assert_eq!(a.final_score, d("84.75")); // 339 / 4
    assert_eq!(a.median, d("85"));
}

#[test]
fn a_mean_of_85_125_rounds_up_to_85_13() {
    // (85.12 + 85.13 + 85.12 + 85.13) / 4 = 340.50 / 4 = 85.125 exactly.
    let a = result("a", &["85.12", "85.13", "85.12", "85.13"]);
    assert_eq!(a.final_score.to_string(), "85.13");
    // Trimmed: 6 totals, the middle 4 are the same 85.125.
    let a = result("a", &["60", "85.12", "85.13", "85.12", "85.13", "99"]);
    assert_eq!(a.final_score.to_string(), "85.13");
}

#[test]
fn a_mean_just_below_the_half_rounds_down_to_85_12() {
    // 9 totals: drop 60 and 99; the middle 7 sum to 6 × 85.12 + 85.15 = 595.87,
    // and 595.87 / 7 = 85.12428… (85.125 would need 595.875).
    let a = result(
        "a",
        &[
            "60", "85.12", "85.12", "85.12", "85.12", "85.12", "85.12", "85.15", "99",
        ],
    );
    assert_eq!(a.final_score.to_string(), "85.12");
    // Plain mean of 3: 255.37 / 3 = 85.12333…
    assert_eq!(
        result("a", &["85.12", "85.12", "85.13"]).final_score,
        d("85.12")
    );
}

#[test]
fn the_median_of_an_even_count_is_rounded_half_up() {
    assert_eq!(result("a", &["85.01", "85.02"]).median, d("85.02"));
}

#[test]
fn aggregation_refuses_bad_totals() {
    assert!(aggregate("a", &[]).unwrap_err().contains("no valid totals"));
    assert!(aggregate("a", &ds(&["80.125"])).is_err());
    assert!(aggregate("a", &ds(&["-1"])).is_err());
}

#[test]
fn results_serialize_with_two_decimals() {
    let a = result("gd-2026-01", &["80", "85.5", "90"]);
    let json = String::from_utf8(jcs::encode(&a)).unwrap();
    assert_eq!(
        json,
        r#"{"application":"gd-2026-01","failed_gates":[],"final_score":"85.17","max":"90.00","median":"85.50","min":"80.00","sheets":3,"spread":"10.00","trimmed":false}"#
    );
    assert_eq!(jcs::parse::<Aggregate>(json.as_bytes()).unwrap(), a);
}

// --- ranking and recommendation ----------------------------------------------

#[test]
fn ties_are_broken_by_median_then_lowest_total_then_reference() {
    // All four have a final score of 85.00.
    let low_median = result("a", &["84", "84", "87"]); // median 84
    let low_min = result("b", &["80", "85", "90"]); // median 85, min 80
    let later_ref = result("d", &["82", "85", "88"]); // median 85, min 82
    let earlier_ref = result("c", &["82", "85", "88"]);
    let better = result("z", &["86", "86", "86"]);
    let ranked = rank(vec![
        low_median.clone(),
        later_ref,
        better,
        low_min,
        earlier_ref,
    ]);
    let order: Vec<&str> = ranked.iter().map(|a| a.application.as_str()).collect();
    assert_eq!(order, ["z", "c", "d", "b", "a"]);
    assert!(ranked.iter().skip(1).all(|a| a.final_score == d("85")));
}

#[test]
fn recommending_with_quota_5_and_2_already_recommended_gives_3() {
    assert_eq!(DEFAULT_QUOTA, 5);
    let results: Vec<Aggregate> = (0..6)
        .map(|i| result(&format!("app-{i}"), &[(70 + i).to_string().as_str()]))
        .collect();
    assert_eq!(
        recommend(&results, DEFAULT_QUOTA, 2),
        ["app-5", "app-4", "app-3"]
    );
    assert_eq!(recommend(&results, DEFAULT_QUOTA, 0).len(), 5);
    assert!(recommend(&results, DEFAULT_QUOTA, 5).is_empty());
    assert!(recommend(&results, DEFAULT_QUOTA, 7).is_empty());
}

#[test]
fn an_ineligible_application_is_passed_over() {
    let mut results: Vec<Aggregate> = (0..4)
        .map(|i| result(&format!("app-{i}"), &[(70 + i).to_string().as_str()]))
        .collect();
    results[3].failed_gates = vec!["pass_rate_90".into()];
    assert_eq!(recommend(&results, 2, 0), ["app-2", "app-1"]);
}

// --- Kendall's W -------------------------------------------------------------

#[test]
fn identical_rankings_have_w_1() {
    let row = ds(&["90", "80", "85", "70"]);
    assert_eq!(kendalls_w(&[row.clone(), row.clone(), row]), Some(d("1")));
    // Same ranking, other totals, with a tie in each row.
    let rows = vec![ds(&["90", "80", "80", "70"]), ds(&["95", "60", "60", "50"])];
    assert_eq!(kendalls_w(&rows), Some(d("1")));
}

#[test]
fn reversed_rankings_of_two_raters_have_w_0() {
    let rows = vec![ds(&["1", "2", "3"]), ds(&["3", "2", "1"])];
    assert_eq!(kendalls_w(&rows), Some(d("0")));
}

#[test]
fn w_matches_a_hand_computed_example() {
    // m = 3 raters, n = 4 applications; ranks (1 = lowest total):
    //   rater 1: 1 2 3 4
    //   rater 2: 2 1 3 4
    //   rater 3: 1 3 2 4
    // Rank sums R = 4, 6, 8, 12; mean m(n+1)/2 = 7.5;
    // S = 3.5² + 1.5² + 0.5² + 4.5² = 12.25 + 2.25 + 0.25 + 20.25 = 35;
    // W = 12 S / (m²(n³ − n)) = 420 / (9 × 60) = 420 / 540 = 0.77777… → 0.7778.
    let rows = vec![
        ds(&["60", "70", "80", "90"]),
        ds(&["70", "60", "80", "90"]),
        ds(&["60", "80", "70", "90"]),
    ];
    assert_eq!(kendalls_w(&rows), Some(d("0.7778")));

    // The same, but rater 3 gives applications 2 and 3 equal totals: ranks
    // 1, 2.5, 2.5, 4. R = 4, 5.5, 8.5, 12; S = 12.25 + 4 + 1 + 20.25 = 37.5;
    // ties of rater 3: T = 2³ − 2 = 6; denominator 9 × 60 − 3 × 6 = 522;
    // W = 12 × 37.5 / 522 = 450 / 522 = 0.862068… → 0.8621.
    let rows = vec![
        ds(&["60", "70", "80", "90"]),
        ds(&["70", "60", "80", "90"]),
        ds(&["60", "75", "75", "90"]),
    ];
    assert_eq!(kendalls_w(&rows), Some(d("0.8621")));
}

#[test]
fn w_is_undefined_for_too_small_or_ragged_panels() {
    assert_eq!(kendalls_w(&[]), None);
    assert_eq!(kendalls_w(&[ds(&["1", "2", "3"])]), None);
    assert_eq!(kendalls_w(&[ds(&["1"]), ds(&["2"])]), None);
    assert_eq!(kendalls_w(&[ds(&["1", "2"]), ds(&["1"])]), None);
    // Every rater ties everything: the denominator is 0.
    assert_eq!(kendalls_w(&[ds(&["5", "5"]), ds(&["7", "7"])]), None);
}

// --- properties --------------------------------------------------------------

/// Totals from 0.00 to 100.00.
fn totals() -> impl Strategy<Value = Vec<Decimal>> {
    vec((0i64..=10_000).prop_map(|c| Decimal::new(c, 2)), 1..12)
}

proptest! {
    // A failing case's seed is saved in `tests/scoring.proptest-regressions`
    // (committed), and every later run tries the saved cases first.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_final_score_lies_between_the_lowest_and_highest_total(t in totals()) {
        let a = aggregate("a", &t).unwrap();
        let (min, max) = (*t.iter().min().unwrap(), *t.iter().max().unwrap());
        prop_assert!(min <= a.final_score && a.final_score <= max);
        prop_assert!(min <= a.median && a.median <= max);
        prop_assert_eq!(a.spread, max - min);
    }

    #[test]
    fn the_result_does_not_depend_on_the_order_of_the_sheets(
        t in totals(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = t.clone();
        // A deterministic Fisher–Yates from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(aggregate("a", &t).unwrap(), aggregate("a", &shuffled).unwrap());
    }

    #[test]
    fn the_trimmed_mean_is_the_plain_mean_of_the_middle_values(t in totals()) {
        let mut sorted = t.clone();
        sorted.sort();
        let middle = if sorted.len() >= 5 {
            &sorted[1..sorted.len() - 1]
        } else {
            &sorted[..]
        };
        let sum: Decimal = middle.iter().sum();
        let mean = (sum / Decimal::from(middle.len()))
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(aggregate("a", &t).unwrap().final_score, mean);
    }

    #[test]
    fn w_lies_between_0_and_1_and_ignores_the_order_of_raters(
        rows in (2usize..6).prop_flat_map(|n| vec(vec(0i64..20, n), 2..6)),
    ) {
        let rows: Vec<Vec<Decimal>> = rows
            .into_iter()
            .map(|r| r.into_iter().map(Decimal::from).collect())
            .collect();
        let w = kendalls_w(&rows);
        if let Some(w) = w {
            prop_assert!(Decimal::ZERO <= w && w <= Decimal::ONE, "{}", w);
        }
        let mut reversed = rows.clone();
        reversed.reverse();
        prop_assert_eq!(kendalls_w(&reversed), w);
        // Every rater repeating the first one's totals agrees perfectly.
        let same = vec![rows[0].clone(); rows.len()];
        let all_tied = rows[0].iter().all(|x| *x == rows[0][0]);
        prop_assert_eq!(kendalls_w(&same), (!all_tied).then_some(Decimal::ONE));
    }

    #[test]
    fn a_valid_sheet_total_is_the_sum_of_its_points(
        v in 0u32..=40,
        s in 0u32..=80,
    ) {
        let r = small_rubric();
        let volume = (Decimal::from(v) / Decimal::TWO).to_string();
        let system = s.to_string();
        let t = validate_sheet(&r, &sheet("a", &volume, &system, true)).unwrap();
        prop_assert_eq!(t, Decimal::from(v) / Decimal::TWO + Decimal::from(s));
        prop_assert!(scoring::abnormal(t, &[t, t]).is_none());
    }
}

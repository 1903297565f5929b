//! The workflow's refusals in the reader's language.
//!
//! The workflow answers with English sentences (the API's `error` text). Each
//! sentence a page can show is listed here as a pattern, its `{}` the values
//! put in, with its catalogue entry; the values are passed to the entry as
//! `$a`, `$b`, … A test reads the service's source and fails when a refusal has
//! no pattern here, so a new message cannot reach a page untranslated.

/// Every refusal a page can show, as (pattern, catalogue key).
pub const REFUSALS: &[(&str, &str)] = &[
    (
        "no places left: province {} has recommended {} of its {} projects for {} in sealed rounds",
        "refusal-no-places-left",
    ),
    (
        "round {} of {} is still being scored; the places left are fixed when its results are sealed",
        "refusal-other-round-scoring",
    ),
    ("limit must be 1 to 100", "refusal-limit-range"),
    ("no province {}", "refusal-no-province"),
    ("days must be 1 to 60", "refusal-days-60"),
    (
        "a limit above the policy's {} projects a year needs a written reason",
        "refusal-limit-reason",
    ),
    (
        "limit {} is below the {} projects already recommended this year",
        "refusal-limit-below",
    ),
    (
        "reason must be at most 2000 characters",
        "refusal-reason-2000",
    ),
    ("{}: {} is not a date (YYYY-MM-DD)", "refusal-not-a-date"),
    ("{}: {} is not in the round's year {}", "refusal-date-year"),
    ("{} ({}) comes before {} ({})", "refusal-date-order"),
    (
        "notice_start and notice_end are set together",
        "refusal-notice-dates-together",
    ),
    (
        "no working-day calendar for {}: an admin must add that year's calendar (the State Council's notice) before working days can be counted",
        "refusal-no-calendar",
    ),
    ("title must be 1 to 200 characters", "refusal-title-length"),
    (
        "panel size {} is below this deployment's minimum of {}",
        "refusal-panel-below-min",
    ),
    (
        "beacon margin must be at least {} s",
        "refusal-beacon-margin",
    ),
    (
        "the entropy window ({} s) must end before the beacon round (margin {} s)",
        "refusal-window-before-beacon",
    ),
    (
        "the entropy window may be at most 30 days",
        "refusal-window-30-days",
    ),
    (
        "draw {} of this round is committed and not yet revealed; reveal or void it first",
        "refusal-round-has-live-draw",
    ),
    (
        "round {} is {} ({}); a new draw needs an open round, or a drawn one whose panel ran out of alternates",
        "refusal-round-no-new-draw",
    ),
    (
        "drand round {} is published at {}, less than {} s after now ({})",
        "refusal-beacon-too-soon",
    ),
    (
        "the entropy window ({} s) must end before round {} at {}",
        "refusal-window-before-round",
    ),
    ("no draw {}", "refusal-no-draw"),
    (
        "draw {} is {}; only a revealed draw whose panel has empty seats can be supplemented",
        "refusal-supplement-not-revealed",
    ),
    (
        "every seat of draw {}'s panel is filled; a supplementary draw fills empty seats only",
        "refusal-supplement-no-empty-seat",
    ),
    (
        "round {} is {} ({}); a supplementary draw needs a drawn round or one being scored",
        "refusal-supplement-round-state",
    ),
    (
        "draw {} changed while this supplementary draw was prepared; try again",
        "refusal-supplement-raced",
    ),
    (
        "draw {} already supplements draw {}",
        "refusal-supplement-exists",
    ),
    (
        "round {} has locked its sheets or is sealed; its panel no longer changes",
        "refusal-supplement-round-locked",
    ),
    (
        "round {} has locked its sheets; a coordinator must unlock it before the supplementary draw {} is revealed",
        "refusal-supplement-reveal-locked",
    ),
    (
        "draw {} supplements draw {}: record the decline on draw {}, after its reveal",
        "refusal-decline-on-supplement",
    ),
    (
        "the panel of draw {} has {} empty seats and its alternates ran out: fill them with a supplementary draw (补抽) of draw {}, which keeps its seated members",
        "refusal-round-needs-supplement",
    ),
    (
        "draw {} is {}; contributions are taken only while it is committed",
        "refusal-contrib-not-committed",
    ),
    (
        "{} has already contributed to draw {}",
        "refusal-already-contributed",
    ),
    (
        "draw {} is {}; keys are registered only while it is committed",
        "refusal-keys-not-committed",
    ),
    (
        "key must be a base64 Ed25519 public key (44 characters)",
        "refusal-key-not-a-key",
    ),
    (
        "a personal key must not be the log's own key",
        "refusal-key-is-log-key",
    ),
    (
        "{} already has a registered key in draw {}",
        "refusal-key-already-registered",
    ),
    (
        "this key is already registered in draw {}",
        "refusal-key-registered-twice",
    ),
    (
        "draw {} requires contributions signed with your personal key",
        "refusal-contrib-needs-signature",
    ),
    (
        "signature must be base64 of 64 bytes",
        "refusal-signature-not-base64",
    ),
    (
        "register your personal key for draw {} before signing a contribution",
        "refusal-contrib-key-not-registered",
    ),
    (
        "the signature does not verify with your registered key {}",
        "refusal-contrib-bad-signature",
    ),
    (
        "round {} is {}; keys are registered before it closes",
        "refusal-expert-key-round-closed",
    ),
    (
        "draw {} is void; no key is registered in it",
        "refusal-expert-key-draw-void",
    ),
    (
        "you already have a registered key in draw {}",
        "refusal-expert-key-already",
    ),
    (
        "draw {} requires your sheets, recusals and pledge signed with your personal key",
        "refusal-expert-needs-signature",
    ),
    (
        "register your personal key for draw {} before signing",
        "refusal-expert-key-not-registered",
    ),
    (
        "you have no registered key in draw {} to replace; register one instead",
        "refusal-key-nothing-to-replace",
    ),
    (
        "nobody approves the replacement of their own key; another supervisor of the draw must",
        "refusal-key-approve-own",
    ),
    (
        "register your personal key for draw {} before approving a key replacement",
        "refusal-key-approver-unregistered",
    ),
    (
        "key request {} replaces a key that is no longer the person's current one; they must ask again",
        "refusal-key-request-stale",
    ),
    (
        "the approval does not verify with your registered key {}",
        "refusal-key-approval-bad",
    ),
    ("key request {} is {}", "refusal-key-request-done"),
    (
        "no key request {} in draw {}",
        "refusal-key-request-unknown",
    ),
    (
        "your personal key in draw {} was replaced; sign again with your current key",
        "refusal-key-replaced-meanwhile",
    ),
    (
        "the deadline for contributions to draw {} passed at {} (now {})",
        "refusal-contrib-deadline",
    ),
    (
        "draw {} is {}; contributions are closed",
        "refusal-contrib-closed",
    ),
    (
        "draw {} was committed without a beacon (beacon-less mode)",
        "refusal-no-beacon-mode",
    ),
    (
        "draw {} is {}; its beacon can no longer be recorded",
        "refusal-beacon-late",
    ),
    (
        "draw {} committed to drand quicknet round {}, not {}",
        "refusal-beacon-wrong-round",
    ),
    ("signature must be hex", "refusal-signature-hex"),
    (
        "the beacon of draw {} is already recorded",
        "refusal-beacon-recorded",
    ),
    (
        "round {} is published at {}; it is only {} now",
        "refusal-beacon-not-yet",
    ),
    (
        "draw {} is {}; only a committed draw can be revealed",
        "refusal-reveal-state",
    ),
    (
        "draw {} waits for drand quicknet round {}; record it first",
        "refusal-reveal-needs-beacon",
    ),
    (
        "draw {} has no beacon and no supervisor contribution yet: a beacon-less draw needs at least one, or its seed would be the operator's alone",
        "refusal-reveal-needs-contribution",
    ),
    (
        "supervisors may contribute to draw {} until {}; reveal after that (now {})",
        "refusal-reveal-before-deadline",
    ),
    (
        "draw {} was revealed (or voided) by another request",
        "refusal-draw-raced",
    ),
    (
        "draw {} is {}; declines are recorded between reveal and disclosure",
        "refusal-decline-state",
    ),
    (
        "{} is not on the current panel of draw {}",
        "refusal-not-on-panel",
    ),
    (
        "draw {} changed while this decline was prepared; try again",
        "refusal-decline-raced",
    ),
    (
        "a void needs a reason of 1 to 500 characters",
        "refusal-void-reason",
    ),
    (
        "draw {} is {}; only a committed, unrevealed draw can be voided",
        "refusal-void-state",
    ),
    (
        "draw {} was revealed or voided by another request",
        "refusal-draw-raced-2",
    ),
    (
        "draw {} is {}; only a revealed draw can be disclosed",
        "refusal-disclose-state",
    ),
    (
        "round {} is {} ({}); names are disclosed only after the round is closed",
        "refusal-disclose-round",
    ),
    (
        "draw {} was disclosed by another request",
        "refusal-disclose-raced",
    ),
    ("a {} may not do this", "refusal-role"),
    ("log in first", "refusal-log-in"),
    (
        "the session has expired or was revoked; log in again",
        "refusal-session",
    ),
    ("not found", "refusal-not-found"),
    (
        "too many wrong passwords; wait {} s and try again",
        "refusal-throttled",
    ),
    (
        "an admin account has no province",
        "refusal-admin-no-province",
    ),
    (
        "a ministry account has no province",
        "refusal-ministry-no-province",
    ),
    (
        "year must be {} to {} (the policy is of 2022)",
        "refusal-year-range",
    ),
    (
        "this role needs a province (GB/T 2260 code)",
        "refusal-role-needs-province",
    ),
    (
        "a coordinator creates expert accounts of their own province only",
        "refusal-coordinator-accounts",
    ),
    (
        "username must be 1 to {} of a-z 0-9 . - _, beginning with a letter or digit",
        "refusal-username-length",
    ),
    (
        "{} contains a control or invisible character ({}); remove it",
        "refusal-text-hidden",
    ),
    (
        "{} has a word that mixes Latin letters with look-alike letters of another script ({}); retype it",
        "refusal-text-mixed",
    ),
    (
        "{} is not in Unicode normal form C (NFC); normalise it and send it again",
        "refusal-text-nfc",
    ),
    (
        "only an expert account is linked to a roster entry",
        "refusal-only-expert-linked",
    ),
    (
        "no expert {} in this province's roster",
        "refusal-no-roster-expert",
    ),
    ("username {} is taken", "refusal-username-taken"),
    ("the old password is wrong", "refusal-old-password"),
    ("{} problems; nothing was changed", "refusal-problems"),
    ("no record", "refusal-no-record"),
    ("expert {} already exists", "refusal-expert-exists"),
    ("no expert {}", "refusal-no-expert"),
    (
        "the record's expert_id {} is not the {} of the address",
        "refusal-expert-id-mismatch",
    ),
    ("the draw cannot be made: {}: {}", "refusal-infeasible"),
    ("start and end must be at most {}", "refusal-range-max"),
    ("end must not be before start", "refusal-range-order"),
    ("no entry {} in a tree of {} entries", "refusal-no-entry"),
    (
        "no consistency proof from {} to {} (the log has {} entries)",
        "refusal-no-consistency",
    ),
    ("no round {}", "refusal-no-round"),
    (
        "kind must be base_new, base_existing or studio, not {}",
        "refusal-round-kind",
    ),
    ("year {} is not plausible", "refusal-year"),
    (
        "a round becomes drawn when its draw is revealed, not by request",
        "refusal-drawn-by-reveal",
    ),
    (
        "round {} is {} ({}); it can move to {} only from {}",
        "refusal-round-order",
    ),
    (
        "round {} changed meanwhile; reload it",
        "refusal-round-changed-reload",
    ),
    (
        "round {} is {} ({}); applications change only while it is open",
        "refusal-apps-fixed",
    ),
    (
        "a draw of this round is committed: its avoidance list is fixed; void it or reveal it first",
        "refusal-apps-draw-live",
    ),
    (
        "application {} already exists",
        "refusal-application-exists",
    ),
    ("format must be csv or xlsx, not {}", "refusal-format"),
    ("value: {}", "refusal-value"),
    (
        "this expert account is not linked to a roster entry",
        "refusal-not-linked",
    ),
    (
        "the quota is fixed in the log when scoring opens; it cannot change afterwards",
        "refusal-quota-fixed",
    ),
    (
        "quota must be 1 to 100 and at least the number already recommended",
        "refusal-quota-range",
    ),
    (
        "the sheet is for {}, the address for {}",
        "refusal-sheet-mismatch",
    ),
    (
        "round {} is {}; the rubric is fixed once scoring opens",
        "refusal-rubric-fixed",
    ),
    (
        "the rubric is for {}, the round is {}",
        "refusal-rubric-kind",
    ),
    (
        "round {} has no revealed draw with a complete panel",
        "refusal-no-complete-panel",
    ),
    (
        "round {} is {} ({}); scoring opens only from drawn",
        "refusal-open-scoring-state",
    ),
    (
        "round {} has no applications to score",
        "refusal-no-applications",
    ),
    ("round {} changed meanwhile", "refusal-round-changed"),
    (
        "round {} is {} ({}); sheets are written while it is scoring",
        "refusal-sheets-state",
    ),
    (
        "you are not on this round's panel",
        "refusal-not-on-round-panel",
    ),
    ("no application {}", "refusal-no-application"),
    (
        "application {} failed the eligibility screen ({}); it is scored only if a coordinator overrides the screen with a reason",
        "refusal-screen-failed",
    ),
    ("round {} is closed", "refusal-round-closed"),
    (
        "an override needs a reason of 1 to 500 characters",
        "refusal-override-reason",
    ),
    (
        "application {} passed the screen; there is nothing to override",
        "refusal-override-passed",
    ),
    (
        "the screen of application {} is already overridden",
        "refusal-override-twice",
    ),
    (
        "this sheet is submitted; a coordinator can reopen it",
        "refusal-sheet-submitted",
    ),
    (
        "you declared a conflict with this application",
        "refusal-sheet-recused",
    ),
    (
        "this sheet is already submitted",
        "refusal-sheet-already-submitted",
    ),
    ("a recusal needs a reason", "refusal-recusal-reason"),
    ("this sheet is {}", "refusal-sheet-state"),
    (
        "sheets are reopened only while the round is scoring",
        "refusal-reopen-state",
    ),
    ("reopening a sheet needs a reason", "refusal-reopen-reason"),
    (
        "no submitted sheet of {} for {}",
        "refusal-no-submitted-sheet",
    ),
    (
        "round {} is {}; there is nothing scored yet",
        "refusal-nothing-scored",
    ),
    (
        "{} sheets are not in yet; scores stay sealed from everyone until all are",
        "refusal-sheets-waiting",
    ),
    (
        "the round's sheets are locked: every sheet is in and the results may have been read; a coordinator must unlock the round, with a reason, first",
        "refusal-round-locked",
    ),
    (
        "round {} scored by draw {} is sealed; its panel no longer changes",
        "refusal-decline-sealed",
    ),
    (
        "round {} scored by draw {} has locked its sheets; a coordinator must unlock the round, with a reason, before a panel member can decline",
        "refusal-decline-locked",
    ),
    (
        "the abnormal-total threshold {} must be a number of points above 0 and at most 100, with at most two decimals",
        "refusal-abnormal-threshold",
    ),
    (
        "the abnormal-total threshold must be a number of points, not {}",
        "refusal-abnormal-threshold-type",
    ),
    (
        "the abnormal-total threshold is fixed in the log when scoring opens; it cannot change afterwards",
        "refusal-abnormal-threshold-fixed",
    ),
    (
        "an explanation needs 1 to 2000 characters",
        "refusal-explanation-length",
    ),
    (
        "no explanation of your sheet for {} is asked for",
        "refusal-explanation-not-asked",
    ),
    (
        "your explanation for {} is already given",
        "refusal-explanation-given",
    ),
    (
        "round {} is {} ({}); only a round that is scoring can be unlocked",
        "refusal-unlock-state",
    ),
    (
        "unlocking a round needs a reason of 1 to 500 characters",
        "refusal-unlock-reason",
    ),
    ("round {}'s sheets are not locked", "refusal-not-locked"),
    (
        "round {} is {} ({}); sheets lock while it is scoring",
        "refusal-lock-state",
    ),
    (
        "round {}'s sheets are already locked (seq {})",
        "refusal-already-locked",
    ),
    (
        "{} sheets are not in yet; the round locks when all are",
        "refusal-lock-waiting",
    ),
    (
        "every sheet is in but the round's sheets are not locked; a coordinator locks them before anyone sees a score",
        "refusal-results-not-locked",
    ),
    (
        "{} explanations of abnormal totals are awaited; scores stay sealed from everyone until each is given",
        "refusal-explanations-awaited",
    ),
    (
        "application {} has no valid sheet (every expert recused)",
        "refusal-no-valid-sheet",
    ),
    (
        "round {} is {} ({}); it can move to closed only from scoring",
        "refusal-close-state",
    ),
    (
        "the form's security token is missing or stale; reload the page and try again",
        "refusal-csrf",
    ),
    (
        "you cannot disable your own account",
        "refusal-disable-self",
    ),
    ("no account {}", "refusal-no-account"),
    (
        "the upload could not be read: {}",
        "refusal-upload-unreadable",
    ),
    (
        "the previewed file is damaged; upload it again",
        "refusal-preview-damaged",
    ),
    (
        "no application {} to score",
        "refusal-no-application-to-score",
    ),
    (
        "no saved draft of {} to submit: send the sheet",
        "refusal-no-draft",
    ),
    ("the sheet: {}", "refusal-sheet-json"),
    (
        "{} is no longer on the round's panel; their sheets do not count",
        "refusal-left-panel",
    ),
    (
        "wrong username or password; wait {} s before the next try",
        "refusal-wrong-password-wait",
    ),
    ("wrong username or password", "refusal-wrong-password"),
    (
        "the file is {} MiB; a material may be at most 20 MiB",
        "refusal-material-too-large",
    ),
    (
        "the file is larger than 20 MiB, the most a material may be",
        "refusal-material-over-limit",
    ),
    (
        "{} is {}: a material must be a PDF, PNG, JPEG or XLSX file (its type is read from its content)",
        "refusal-material-type",
    ),
    (
        "round {} is {}: its materials were fixed when scoring opened; no more uploads",
        "refusal-materials-fixed",
    ),
    ("no material {} of application {}", "refusal-no-material"),
    (
        "material {} of application {} is not served: its stored bytes hash to {}, not to the hash they were uploaded (and fixed) with; the file was changed in the database: tell the operator",
        "refusal-material-swapped",
    ),
    (
        "material {} of application {} is not served: it is not among the materials the round's scoring_open entry fixed; tell the operator",
        "refusal-material-not-fixed",
    ),
    (
        "a pledge text must be 1 to 5000 characters",
        "refusal-pledge-text-length",
    ),
    (
        "round {} is {}; the pledge text is fixed once scoring opens",
        "refusal-pledge-text-fixed",
    ),
    (
        "round {} changed meanwhile; the pledge text is fixed once scoring opens",
        "refusal-pledge-text-raced",
    ),
    (
        "confirm the pledge (承诺书) of round {} first: no sheet is saved or submitted before it",
        "refusal-pledge-first",
    ),
    (
        "round {} fixed no pledge text when scoring opened",
        "refusal-pledge-none",
    ),
    (
        "the pledge text changed or was not read: confirm the text whose hash is {}",
        "refusal-pledge-other-text",
    ),
    ("application {} is declared twice", "refusal-conflict-twice"),
    (
        "the conflict with application {} needs a reason",
        "refusal-conflict-reason",
    ),
    (
        "you have already confirmed this round's pledge",
        "refusal-pledge-twice",
    ),
    (
        "your sheet for application {} is {}",
        "refusal-conflict-sheet-state",
    ),
    (
        "this account still has its one-time password: change it first (POST /api/v1/auth/password)",
        "refusal-one-time-password",
    ),
    (
        "the new password is too easy to guess: {}",
        "refusal-password-weak",
    ),
    (
        "round {} has no sealed results: a report is issued once the round is closed",
        "refusal-report-not-sealed",
    ),
    (
        "the panel's draw {} is not disclosed: disclose it before issuing the report, which names the panel",
        "refusal-report-not-disclosed",
    ),
    (
        "round {} is {} ({}); a report is issued once the round is closed",
        "refusal-report-round-state",
    ),
    (
        "the report of round {} was already issued (seq {})",
        "refusal-report-issued-seq",
    ),
    (
        "the report of round {} was already issued",
        "refusal-report-issued",
    ),
    ("round {} has no issued report", "refusal-report-none"),
    (
        "the report of round {} is not issued: issue it before filing",
        "refusal-filing-no-report",
    ),
    (
        "round {} is {} ({}); a round is filed once it is closed and its report issued",
        "refusal-filing-round-state",
    ),
    ("round {} is not filed", "refusal-filing-none"),
    (
        "a round becomes reported when it is filed (POST …/filing), not by request",
        "refusal-reported-by-filing",
    ),
    ("{} is required", "refusal-notice-field-required"),
    (
        "{} must be at most {} characters",
        "refusal-notice-field-long",
    ),
    (
        "attachment is larger than {} MiB",
        "refusal-attachment-large",
    ),
    ("attachment is not base64", "refusal-attachment-base64"),
    ("attachment is empty", "refusal-attachment-empty"),
    (
        "attachment must be a PDF, PNG or JPEG file",
        "refusal-attachment-type",
    ),
    (
        "round {} is {} ({}); a notice publishes sealed results",
        "refusal-notice-not-sealed",
    ),
    ("round {} has no seal in the log", "refusal-notice-no-seal"),
    (
        "unknown column {}: the columns are {}",
        "refusal-notice-column",
    ),
    (
        "choose at least one column to publish",
        "refusal-notice-no-column",
    ),
    ("working_days must be 1 to {}", "refusal-notice-days"),
    (
        "round {}'s seal recommends no project: there is nothing to publish",
        "refusal-notice-nothing",
    ),
    ("round {} already has a notice", "refusal-notice-twice"),
    (
        "outcome must be upheld or rejected",
        "refusal-objection-outcome",
    ),
    (
        "only an upheld objection can withdraw a recommendation",
        "refusal-objection-withdraw-rejected",
    ),
    (
        "no objection {} to this round's notice",
        "refusal-objection-unknown",
    ),
    ("the notice is closed", "refusal-notice-closed"),
    (
        "objection {} was already handled ({})",
        "refusal-objection-handled",
    ),
    (
        "{} is not a recommended project of the round's seal",
        "refusal-withdraw-not-recommended",
    ),
    ("{} was already withdrawn", "refusal-withdraw-twice"),
    ("round {} has no notice", "refusal-notice-none"),
    (
        "the notice is already closed",
        "refusal-notice-closed-twice",
    ),
    (
        "the notice period runs until {} (today is {}); it can be closed after that day",
        "refusal-notice-running",
    ),
    (
        "{} objection(s) are still pending: handle them before closing the notice",
        "refusal-notice-pending",
    ),
    ("the notice changed meanwhile", "refusal-notice-changed"),
    ("no notice {}", "refusal-notice-unknown"),
    (
        "the notice is closed: objections are no longer taken",
        "refusal-objection-closed",
    ),
    (
        "the notice period ended on {}: objections are no longer taken",
        "refusal-objection-late",
    ),
    ("project is required", "refusal-objection-project"),
    (
        "project {} is not on this notice",
        "refusal-objection-project-unknown",
    ),
    (
        "objection {} has no attachment",
        "refusal-objection-no-attachment",
    ),
    (
        "no objection with that reference and token",
        "refusal-receipt-unknown",
    ),
    (
        "too many objections from this address; wait {} s and try again",
        "refusal-objection-too-many",
    ),
    (
        "the notice of round {} is open until {}: the report describes the notice, so it is issued once the notice is closed",
        "refusal-report-notice-open",
    ),
    (
        "the line is not a cosignature/v1 note signature line",
        "refusal-cosignature-not-a-line",
    ),
    (
        "no witness {} is registered with that key",
        "refusal-witness-unknown",
    ),
    ("no checkpoint of {} entries", "refusal-no-checkpoint-size"),
    (
        "the cosignature of {} does not verify on the checkpoint of {} entries",
        "refusal-cosignature-bad",
    ),
    ("no such activation code", "refusal-activation-unknown"),
    (
        "this activation code has been used already",
        "refusal-activation-used",
    ),
    (
        "this activation code has expired; ask for a new one",
        "refusal-activation-expired",
    ),
    (
        "a supervisor creates supervisor accounts of their own province only",
        "refusal-supervisor-accounts",
    ),
    (
        "roster entry {} already has an account",
        "refusal-expert-has-account",
    ),
    (
        "account {} is active: only an admin gives it a new activation code",
        "refusal-account-active",
    ),
    (
        "{} is not a valid witness name (no spaces, no +)",
        "refusal-witness-bad-name",
    ),
    (
        "the witness key is not an Ed25519 public key (32 bytes in base64, or PEM)",
        "refusal-witness-bad-key",
    ),
    (
        "a witness named {} is registered already",
        "refusal-witness-taken",
    ),
    (
        "witness {} is retired already",
        "refusal-witness-retired-already",
    ),
    ("no witness named {}", "refusal-witness-none"),
];
/// The values of `pattern` (its `{}`) in `msg`, if `msg` has its shape: it
/// starts with the first fixed part, ends with the last, and holds the others
/// in order between them.
pub fn values<'m>(pattern: &str, msg: &'m str) -> Option<Vec<&'m str>> {
    let parts: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = parts.split_first()?;
    let mut at = msg.strip_prefix(first)?;
    let mut out = Vec::new();
    for (i, part) in rest.iter().enumerate() {
        if i + 1 == rest.len() {
            let v = at.strip_suffix(part)?;
            if v.is_empty() {
                return None;
            }
            out.push(v);
            at = "";
        } else {
            let end = at.find(part).filter(|&e| e > 0)?;
            out.push(&at[..end]);
            at = &at[end + part.len()..];
        }
    }
    (rest.is_empty() && at.is_empty() || !rest.is_empty()).then_some(out)
}

/// A value put into a refusal, in the reader's words when it is one of the
/// service's own codes (a state or a role).
fn value(tr: &super::Tr, v: &str) -> String {
    let key = match v {
        "committed" | "revealed" | "voided" | "disclosed" | "abandoned" => {
            format!("draw-state-{v}")
        }
        "open" | "drawn" | "scoring" | "closed" | "reported" => format!("round-state-{v}"),
        "admin" | "coordinator" | "expert" | "supervisor" => format!("role-{v}"),
        "draft" => "sheet-draft".into(),
        "approved" | "superseded" => format!("key-request-{v}"),
        // What an uploaded material was found to be (`materials::sniff`).
        "a GIF image" => "material-is-gif".into(),
        "a Word document (DOCX)" => "material-is-docx".into(),
        "a ZIP archive that is not an XLSX workbook" => "material-is-zip".into(),
        "a damaged ZIP archive" => "material-is-damaged-zip".into(),
        "an old Office file (DOC or XLS)" => "material-is-old-office".into(),
        "a program" => "material-is-program".into(),
        "an empty file" => "material-is-empty".into(),
        "a text file" => "material-is-text".into(),
        "of an unknown type" => "material-is-unknown".into(),
        // The free-text fields a hygiene refusal names (`crate::text`).
        "title" | "reason" | "comment" | "explanation" | "label" | "name" | "description"
        | "level" => format!("field-{v}"),
        _ => return v.to_string(),
    };
    tr.t(&key)
}

/// `msg` in the reader's language: its catalogue sentence with its values, or
/// `msg` itself when it has no pattern (English readers get it as it is).
pub fn translate(tr: &super::Tr, msg: &str) -> String {
    if msg.is_empty() || tr.lang == super::Lang::En {
        return msg.to_string();
    }
    for (pattern, key) in REFUSALS {
        if let Some(vals) = values(pattern, msg) {
            let args: Vec<(&str, String)> = ["a", "b", "c", "d", "e"]
                .into_iter()
                .zip(vals)
                .map(|(n, v)| (n, value(tr, v)))
                .collect();
            return tr.args(key, &args);
        }
    }
    msg.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::{Lang, Tr};

    #[test]
    fn a_pattern_takes_its_values_and_nothing_else() {
        let p = "draw {} is {}; only a committed draw can be revealed";
        assert_eq!(
            values(
                p,
                "draw gd-1 is voided; only a committed draw can be revealed"
            ),
            Some(vec!["gd-1", "voided"])
        );
        assert_eq!(
            values(p, "draw gd-1 is voided; only a committed draw"),
            None
        );
        assert_eq!(values("not found", "not found"), Some(vec![]));
        assert_eq!(values("not found", "not found here"), None);
        assert_eq!(
            values(
                "round {} changed meanwhile",
                "round 3 changed meanwhile; reload it"
            ),
            None
        );
        let zh = Tr { lang: Lang::Zh };
        assert_eq!(
            translate(
                &zh,
                "draw gd-1 is voided; only a committed draw can be revealed"
            ),
            "抽取 gd-1 当前为“已作废”：只有已承诺的抽取可以揭晓"
        );
        assert_eq!(
            translate(&zh, "a expert may not do this"),
            "“评审专家”角色不能进行此操作"
        );
        let en = Tr { lang: Lang::En };
        assert_eq!(translate(&en, "round 3 is closed"), "round 3 is closed");
    }

    /// The text-hygiene refusals (built in `crate::text`, outside the scanned
    /// files) reach a page in Chinese, with the field named in Chinese.
    #[test]
    fn text_hygiene_refusals_are_translated() {
        let zh = Tr { lang: Lang::Zh };
        assert_eq!(
            translate(&zh, &crate::text::line("title", "a\u{202E}b").unwrap_err()),
            "名称含有控制字符或不可见字符（U+202E），请删除"
        );
        assert_eq!(
            translate(
                &zh,
                &crate::text::multiline("reason", "p\u{430}ypal").unwrap_err()
            ),
            "理由中的词“p\u{430}ypal”混用了拉丁字母和外形相似的其他文字字母，请重新输入"
        );
        for m in [
            crate::text::nfc_only("comment", "e\u{301}", true).unwrap_err(),
            crate::text::username("Admin").unwrap_err(),
            crate::http::auth::password_problem("u", "old", "password1234").unwrap(),
        ] {
            let t = translate(&zh, &m);
            assert_ne!(t, m, "untranslated: {m}");
        }
    }

    /// Every refusal the workflow, the API and the pages can answer with, read
    /// from their source, has a pattern here and a Chinese sentence that uses
    /// every value it is given.
    #[test]
    fn every_refusal_in_the_source_has_a_translation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![
            root.join("draws.rs"),
            root.join("scores.rs"),
            root.join("accounts.rs"),
            root.join("materials.rs"),
            root.join("notice.rs"),
            root.join("expert_keys.rs"),
        ];
        for dir in ["http", "web", "draws"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = e.unwrap().path();
                if path.extension().is_some_and(|x| x == "rs") {
                    files.push(path);
                }
            }
        }
        let ctor = regex::Regex::new(
            r#"(?:DrawError::\w+|conflict|invalid|AppError::\w+|not_found|WebError::\w+)\(\s*(?:format!\(\s*)?"((?:[^"\\]|\\.)*)""#,
        )
        .unwrap();
        let hole = regex::Regex::new(r"\{[^{}]*\}").unwrap();
        let zh = Tr { lang: Lang::Zh };
        let mut seen = 0;
        let mut missing = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            for c in ctor.captures_iter(&text) {
                let literal = c[1].replace("\\\"", "\"");
                let pattern = hole.replace_all(&literal, "{}").to_string();
                if pattern.replace("{}", "").trim().is_empty() {
                    continue; // a message passed through whole (`{e:?}`)
                }
                seen += 1;
                let sample = pattern.replace("{}", "X7");
                if translate(&zh, &sample) == sample {
                    missing.push(format!("{}: {pattern}", f.display()));
                }
            }
        }
        assert!(
            seen > 80,
            "the scan found only {seen} refusals: is the pattern stale?"
        );
        assert!(
            missing.is_empty(),
            "refusals without a translation:\n{}",
            missing.join("\n")
        );
        for (pattern, key) in REFUSALS {
            let n = pattern.matches("{}").count();
            let args: Vec<(&str, String)> = ["a", "b", "c", "d", "e"][..n]
                .iter()
                .map(|a| (*a, format!("«{a}»")))
                .collect();
            let text = zh.args(key, &args);
            assert_ne!(&text, key, "{key} is missing from zh-CN.ftl");
            for (a, v) in &args {
                // A round's state is given twice (code and Chinese label):
                // the label ($c in "round {} is {} ({})") may go unused.
                let optional = pattern.starts_with("round {} is {} ({})") && *a == "c";
                assert!(
                    optional || text.contains(v.as_str()),
                    "{key} drops ${a}: {text}"
                );
            }
        }
    }
}

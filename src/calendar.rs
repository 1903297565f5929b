//! The working-day calendar (issue 14, item 2): a public notice's period is
//! counted in working days (工作日), which follow the national calendar the
//! General Office of the State Council announces each year: weekends, public
//! holidays, and weekend days made working days (调休).
//!
//! Each supported year ships as a data file (`data/calendar/<year>.toml`,
//! compiled in) naming the notice it comes from. An admin can add a year whose
//! notice came out after this release, and a provincial exception (a day off
//! or a working day of one province only); both are kept in the database. A
//! day of a year with no calendar is an error ([`CalendarError::NoCalendar`]),
//! never a guess from the weekday.

use crate::store::Store;
use crate::with_pool;
use anyhow::Result;
use fairpanel_core::types::Province;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Weekday};

/// The years that ship with the service, as their data files.
pub const BUILT_IN: &[(i32, &str)] = &[
    (2024, include_str!("../data/calendar/2024.toml")),
    (2025, include_str!("../data/calendar/2025.toml")),
    (2026, include_str!("../data/calendar/2026.toml")),
];

/// A year's calendar file: the notice's days off and working weekend days.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct YearFile {
    pub year: i32,
    /// The notice, with its number (e.g. 国办发明电〔2023〕7号).
    pub source: String,
    /// The day the notice was published (`YYYY-MM-DD`).
    pub published: String,
    pub holidays: Vec<Holiday>,
}

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: String,
    /// First day off.
    pub from: String,
    /// Last day off.
    pub to: String,
    /// Saturdays and Sundays made working days for this holiday (调休上班).
    #[serde(default)]
    pub working: Vec<String>,
}

/// One year, checked.
#[derive(Clone, Debug)]
pub struct YearCalendar {
    pub year: i32,
    pub source: String,
    pub published: String,
    /// Days off that would otherwise be working days, and weekend days of a
    /// holiday, with the holiday's name.
    pub off: BTreeMap<Date, String>,
    /// Weekend days made working days, with the holiday's name.
    pub working: BTreeMap<Date, String>,
    /// `true` for a year that ships with the service.
    pub built_in: bool,
}

fn date(field: &str, s: &str) -> Result<Date, String> {
    crate::limits::parse_date(field, s)
}

pub fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl YearCalendar {
    /// Parses and checks a year's file: every date in its year, each holiday's
    /// days in order, made-working days on a Saturday or Sunday and not a day
    /// off, no day named twice.
    pub fn parse(text: &str) -> Result<YearCalendar, String> {
        let f: YearFile =
            toml::from_str(text).map_err(|e| format!("calendar file: {}", e.message()))?;
        YearCalendar::from_file(f)
    }

    pub fn from_file(f: YearFile) -> Result<YearCalendar, String> {
        let year = f.year;
        if !(2000..=2100).contains(&year) {
            return Err(format!("calendar year {year} is not plausible"));
        }
        let source = crate::text::line("source", f.source.trim())?;
        if source.is_empty() || source.chars().count() > 300 {
            return Err("source must name the notice, 1 to 300 characters".into());
        }
        date("published", &f.published)?;
        let mut off = BTreeMap::new();
        let mut working = BTreeMap::new();
        for h in &f.holidays {
            let name = crate::text::line("holiday name", h.name.trim())?;
            if name.is_empty() || name.chars().count() > 50 {
                return Err("a holiday's name must be 1 to 50 characters".into());
            }
            let (from, to) = (date("from", &h.from)?, date("to", &h.to)?);
            if from.year() != year || to.year() != year {
                return Err(format!("{name}: {}–{} is not in {year}", h.from, h.to));
            }
            if to < from {
                return Err(format!("{name}: {} comes before {}", h.to, h.from));
            }
            let mut d = from;
            loop {
                if off.insert(d, name.clone()).is_some() {
                    return Err(format!("{}: named twice as a day off", fmt(d)));
                }
                if d == to {
                    break;
                }
                d = d.next_day().ok_or("date out of range")?;
            }
            for w in &h.working {
                let d = date("working", w)?;
                if d.year() != year {
                    return Err(format!("{name}: working day {w} is not in {year}"));
                }
                if !is_weekend(d) {
                    return Err(format!(
                        "{name}: working day {w} is a {}, not a Saturday or Sunday",
                        d.weekday()
                    ));
                }
                if working.insert(d, name.clone()).is_some() {
                    return Err(format!("{w}: named twice as a working day"));
                }
            }
        }
        if let Some(d) = working.keys().find(|d| off.contains_key(d)) {
            return Err(format!("{}: both a day off and a working day", fmt(*d)));
        }
        Ok(YearCalendar {
            year,
            source,
            published: f.published,
            off,
            working,
            built_in: false,
        })
    }
}

fn fmt(d: Date) -> String {
    crate::limits::format_date(d)
}

/// A provincial exception: one day of one province made a day off or a
/// working day, with a note saying why (the provincial notice).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Exception {
    pub date: String,
    pub working: bool,
    pub note: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// No calendar for this year: an admin must add it.
    NoCalendar(i32),
    /// A date beyond what the service can represent.
    OutOfRange,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarError::NoCalendar(y) => write!(
                f,
                "no working-day calendar for {y}: an admin must add that year's calendar (the State Council's notice) before working days can be counted"
            ),
            CalendarError::OutOfRange => write!(f, "date out of range"),
        }
    }
}

/// The calendar one province counts working days by.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    pub years: BTreeMap<i32, YearCalendar>,
    /// The province's exceptions (date → working?).
    pub exceptions: BTreeMap<Date, bool>,
}

impl Calendar {
    /// The calendar of the years that ship with the service, no exceptions.
    pub fn built_in() -> Calendar {
        let mut years = BTreeMap::new();
        for (y, text) in BUILT_IN {
            let mut c =
                YearCalendar::parse(text).unwrap_or_else(|e| panic!("data/calendar/{y}.toml: {e}"));
            c.built_in = true;
            years.insert(*y, c);
        }
        Calendar {
            years,
            exceptions: BTreeMap::new(),
        }
    }

    /// Whether `d` is a working day.
    pub fn is_working(&self, d: Date) -> Result<bool, CalendarError> {
        let y = self
            .years
            .get(&d.year())
            .ok_or(CalendarError::NoCalendar(d.year()))?;
        if let Some(w) = self.exceptions.get(&d) {
            return Ok(*w);
        }
        if y.working.contains_key(&d) {
            return Ok(true);
        }
        if y.off.contains_key(&d) {
            return Ok(false);
        }
        Ok(!is_weekend(d))
    }

    /// The first working day on or after `d`.
    pub fn next_working(&self, mut d: Date) -> Result<Date, CalendarError> {
        while !self.is_working(d)? {
            d = d.next_day().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(d)
    }

    /// The last day of a period of `n` working days (n ≥ 1) that begins on
    /// `start`: `start` counts as the first when it is a working day.
    pub fn end_of_period(&self, start: Date, n: u32) -> Result<Date, CalendarError> {
        let mut d = start;
        let mut left = n.max(1);
        loop {
            if self.is_working(d)? {
                left -= 1;
                if left == 0 {
                    return Ok(d);
                }
            }
            d = d.next_day().ok_or(CalendarError::OutOfRange)?;
        }
    }

    /// Working days from `a` to `b`, both counted (0 when `b < a`).
    pub fn working_days(&self, a: Date, b: Date) -> Result<u32, CalendarError> {
        let mut n = 0;
        let mut d = a;
        while d <= b {
            if self.is_working(d)? {
                n += 1;
            }
            d = d.next_day().ok_or(CalendarError::OutOfRange)?;
        }
        Ok(n)
    }
}

/// A year as the API lists it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct YearView {
    pub year: i32,
    pub source: String,
    pub published: String,
    /// `true`: ships with the service; `false`: added by an admin.
    pub built_in: bool,
    /// Days off on weekdays and weekends of the holidays, with the holiday.
    pub off: Vec<DayView>,
    /// Weekend days made working days.
    pub working: Vec<DayView>,
    /// The province's exceptions this year (when a province was asked for).
    pub exceptions: Vec<Exception>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DayView {
    pub date: String,
    pub holiday: String,
}

impl Store {
    /// The calendar of province `p` (every year, built-in and added, and the
    /// province's exceptions); national only for `None`.
    pub async fn calendar(&self, p: Option<&Province>) -> Result<Calendar> {
        let mut c = Calendar::built_in();
        let rows: Vec<(String,)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT data FROM calendar_years ORDER BY year")
            .fetch_all(pool)
            .await?);
        for (data,) in rows {
            let y = YearCalendar::parse(&data)
                .map_err(|e| anyhow::anyhow!("a stored calendar year: {e}"))?;
            c.years.entry(y.year).or_insert(y);
        }
        if let Some(p) = p {
            let rows: Vec<(String, i64)> = with_pool!(self, pool => sqlx::query_as(
                "SELECT day, working FROM calendar_exceptions WHERE province = $1")
                .bind(p.as_str().to_string())
                .fetch_all(pool)
                .await?);
            for (day, w) in rows {
                let d =
                    date("day", &day).map_err(|e| anyhow::anyhow!("a stored exception: {e}"))?;
                c.exceptions.insert(d, w != 0);
            }
        }
        Ok(c)
    }

    /// The province's exceptions, with their notes.
    pub async fn calendar_exceptions(&self, p: &Province, year: i32) -> Result<Vec<Exception>> {
        let rows: Vec<(String, i64, String)> = with_pool!(self, pool => sqlx::query_as(
            "SELECT day, working, note FROM calendar_exceptions WHERE province = $1 AND day LIKE $2 ORDER BY day")
            .bind(p.as_str().to_string())
            .bind(format!("{year:04}-%"))
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(date, w, note)| Exception {
                date,
                working: w != 0,
                note,
            })
            .collect())
    }

    /// Adds a year's calendar (a year that does not ship with the service and
    /// was not added before).
    pub async fn add_calendar_year(
        &self,
        f: YearFile,
        account: Option<i64>,
        now: u64,
    ) -> Result<Result<i32, String>> {
        let y = match YearCalendar::from_file(f.clone()) {
            Ok(y) => y,
            Err(e) => return Ok(Err(e)),
        };
        if BUILT_IN.iter().any(|(b, _)| *b == y.year) {
            return Ok(Err(format!(
                "the calendar of {} ships with the service; it cannot be replaced",
                y.year
            )));
        }
        let data = toml::to_string(&f)?;
        let n = with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            let have: Option<(i64,)> = sqlx::query_as("SELECT year FROM calendar_years WHERE year = $1")
                .bind(y.year as i64)
                .fetch_optional(&mut *tx)
                .await?;
            if have.is_some() {
                0
            } else {
                sqlx::query("INSERT INTO calendar_years (year, source, data, account_id, added_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(y.year as i64)
                    .bind(y.source.clone())
                    .bind(data)
                    .bind(account)
                    .bind(now as i64)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                1
            }
        });
        if n == 0 {
            return Ok(Err(format!("the calendar of {} was added before", y.year)));
        }
        Ok(Ok(y.year))
    }

    /// Sets a provincial exception; the day's year must have a calendar.
    pub async fn set_calendar_exception(
        &self,
        p: &Province,
        day: &str,
        working: bool,
        note: &str,
        account: Option<i64>,
        now: u64,
    ) -> Result<Result<Exception, String>> {
        let d = match date("date", day) {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        let note = match crate::text::line("note", note.trim()) {
            Ok(n) if !n.is_empty() && n.chars().count() <= 300 => n,
            Ok(_) => return Ok(Err("note must say why, 1 to 300 characters".into())),
            Err(e) => return Ok(Err(e)),
        };
        let c = self.calendar(None).await?;
        if let Err(e) = c.is_working(d) {
            return Ok(Err(e.to_string()));
        }
        let day = fmt(d);
        with_pool!(self, pool => {
            let mut tx = self.begin_write(pool).await?;
            sqlx::query("DELETE FROM calendar_exceptions WHERE province = $1 AND day = $2")
                .bind(p.as_str().to_string())
                .bind(day.clone())
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO calendar_exceptions (province, day, working, note, account_id, added_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(p.as_str().to_string())
                .bind(day.clone())
                .bind(working as i64)
                .bind(note.clone())
                .bind(account)
                .bind(now as i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(Ok(Exception {
            date: day,
            working,
            note,
        }))
    }

    /// A year as the API shows it; `None` without a calendar for it.
    pub async fn calendar_year(&self, year: i32, p: Option<&Province>) -> Result<Option<YearView>> {
        let c = self.calendar(None).await?;
        let Some(y) = c.years.get(&year) else {
            return Ok(None);
        };
        let days = |m: &BTreeMap<Date, String>| {
            m.iter()
                .map(|(d, h)| DayView {
                    date: fmt(*d),
                    holiday: h.clone(),
                })
                .collect()
        };
        Ok(Some(YearView {
            year,
            source: y.source.clone(),
            published: y.published.clone(),
            built_in: y.built_in,
            off: days(&y.off),
            working: days(&y.working),
            exceptions: match p {
                Some(p) => self.calendar_exceptions(p, year).await?,
                None => vec![],
            },
        }))
    }

    /// The years with a calendar.
    pub async fn calendar_years(&self) -> Result<Vec<i32>> {
        Ok(self.calendar(None).await?.years.into_keys().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::limits::parse_date("d", s).unwrap()
    }

    #[test]
    fn the_shipped_years_parse_and_hold_the_notices_numbers() {
        let c = Calendar::built_in();
        assert_eq!(
            c.years.keys().copied().collect::<Vec<_>>(),
            [2024, 2025, 2026]
        );
        assert!(c.years[&2024].source.contains("国办发明电〔2023〕7号"));
        assert!(c.years[&2025].source.contains("国办发明电〔2024〕12号"));
        // The days off a year gives (weekdays among them), as the notices count.
        let weekdays_off = |y: i32| c.years[&y].off.keys().filter(|d| !is_weekend(**d)).count();
        // 2024: 11 statutory days; 2025 and 2026: 13 (除夕, 5月2日 added).
        // Weekdays off = statutory days on weekdays + weekend days worked.
        assert_eq!(c.years[&2024].working.len(), 8);
        assert_eq!(c.years[&2025].working.len(), 5);
        assert_eq!(c.years[&2026].working.len(), 6);
        assert_eq!(weekdays_off(2024), 19);
        assert_eq!(weekdays_off(2025), 18);
        assert_eq!(weekdays_off(2026), 19);
    }

    #[test]
    fn working_days_across_national_day_and_a_made_working_saturday() {
        let c = Calendar::built_in();
        // 2024: 国庆 1–7 October off; Sunday 29 September and Saturday 12
        // October worked.
        assert_eq!(c.is_working(d("2024-09-29")), Ok(true));
        assert_eq!(c.is_working(d("2024-10-12")), Ok(true));
        assert_eq!(c.is_working(d("2024-10-13")), Ok(false));
        assert_eq!(c.is_working(d("2024-10-07")), Ok(false));
        assert_eq!(c.is_working(d("2024-09-28")), Ok(false));
        // Five working days from Friday 27 September: 27, 29 (Sunday worked),
        // 30, then 8 and 9 October.
        assert_eq!(c.end_of_period(d("2024-09-27"), 5), Ok(d("2024-10-09")));
        // From Thursday 10 October: 10, 11, 12 (Saturday worked), 14, 15.
        assert_eq!(c.end_of_period(d("2024-10-10"), 5), Ok(d("2024-10-15")));
        assert_eq!(c.working_days(d("2024-09-27"), d("2024-10-15")), Ok(10));
        // 2026: 国庆 1–7 October; Saturday 10 October worked.
        assert_eq!(c.end_of_period(d("2026-09-30"), 5), Ok(d("2026-10-12")));
        // A period starting on a day off starts on the next working day.
        assert_eq!(c.end_of_period(d("2026-10-01"), 1), Ok(d("2026-10-08")));
        // 2025: 国庆中秋 1–8 October, Saturday 11 October worked.
        assert_eq!(c.end_of_period(d("2025-10-09"), 3), Ok(d("2025-10-11")));
    }

    #[test]
    fn a_year_without_a_calendar_is_an_error_never_a_guess() {
        let c = Calendar::built_in();
        assert_eq!(
            c.is_working(d("2027-03-03")),
            Err(CalendarError::NoCalendar(2027))
        );
        assert_eq!(
            c.is_working(d("2023-03-03")),
            Err(CalendarError::NoCalendar(2023))
        );
        // A period running into the next year needs that year too.
        assert_eq!(
            c.end_of_period(d("2026-12-28"), 5),
            Err(CalendarError::NoCalendar(2027))
        );
        assert!(CalendarError::NoCalendar(2027).to_string().contains("2027"));
    }

    #[test]
    fn a_provincial_exception_overrides_the_national_day() {
        let mut c = Calendar::built_in();
        c.exceptions.insert(d("2026-03-05"), false);
        c.exceptions.insert(d("2026-03-07"), true);
        assert_eq!(c.is_working(d("2026-03-05")), Ok(false));
        assert_eq!(c.is_working(d("2026-03-07")), Ok(true));
        assert_eq!(c.end_of_period(d("2026-03-04"), 3), Ok(d("2026-03-07")));
    }

    #[test]
    fn a_bad_file_is_refused_naming_the_problem() {
        let ok = "year = 2030\nsource = \"通知\"\npublished = \"2029-11-01\"\n[[holidays]]\nname = \"元旦\"\nfrom = \"2030-01-01\"\nto = \"2030-01-01\"\nworking = []\n";
        assert!(YearCalendar::parse(ok).is_ok());
        // 2030-01-02 is a Wednesday: it cannot be "made" a working day.
        let weekday = ok.replace("working = []", "working = [\"2030-01-02\"]");
        assert!(
            YearCalendar::parse(&weekday)
                .unwrap_err()
                .contains("not a Saturday or Sunday")
        );
        let other_year = ok.replace("to = \"2030-01-01\"", "to = \"2031-01-01\"");
        assert!(
            YearCalendar::parse(&other_year)
                .unwrap_err()
                .contains("not in 2030")
        );
        let reversed = ok.replace("from = \"2030-01-01\"", "from = \"2030-01-03\"");
        assert!(
            YearCalendar::parse(&reversed)
                .unwrap_err()
                .contains("comes before")
        );
        assert!(YearCalendar::parse("year = 2030").is_err());
    }
}
